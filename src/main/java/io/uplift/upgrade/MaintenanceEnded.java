package io.uplift.upgrade;

import io.uplift.api.UpgradeListener;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.DatabaseSettings;
import io.uplift.journal.Journal;
import io.uplift.journal.JournalStep;
import io.uplift.journal.StepStatus;
import io.uplift.api.StepKind;
import java.sql.SQLException;

/**
 * Rollback restores the backup taken at the start of the upgrade. That loses nothing only while
 * maintenance mode has refused every change since; once the upgrade left maintenance (its last
 * step), the product may have written, and restoring would silently discard those changes. Then the
 * upgrade is complete but for its final record, and rollback is refused: resume finishes it. The
 * operator may still go back on purpose (--discard-writes-after-maintenance), knowing what is lost.
 */
final class MaintenanceEnded {
    private MaintenanceEnded() {}

    /**
     * Throws when a rollback could discard changes the database acknowledged after maintenance ended,
     * unless {@code discard} (the operator's explicit choice): then it only says so.
     */
    static void refuseRollback(Journal journal, DatabaseSettings db, String resume, String rollback, boolean discard,
            UpgradeListener listener) {
        for (JournalStep js : journal.get().steps()) {
            if (!js.kind().equals(StepKind.MAINTENANCE_OFF.name())) {
                continue;
            }
            boolean ended = js.status() == StepStatus.DONE
                    // Interrupted or failed while leaving: the guard and the read-only default go in one transaction,
                    // so the guard still being there means the database has refused every change all along.
                    || ((js.status() == StepStatus.STARTED || js.status() == StepStatus.FAILED) && !guardPresent(db));
            if (!ended) {
                continue;
            }
            String why = "step " + js.id() + " let the database accept changes again, so the product may have written since;"
                    + " restoring the backup taken at the start of the upgrade discards those changes";
            if (discard) {
                listener.message("--discard-writes-after-maintenance: " + why + ", as asked");
                return;
            }
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "Rollback refused, nothing was changed: " + why.replace("discards",
                    "would silently discard") + ". The upgrade to " + journal.get().target() + " has done its work; run '" + resume
                    + "' to finish it. To go back all the same and lose those changes, run '" + rollback
                    + " --discard-writes-after-maintenance'.");
        }
    }

    private static boolean guardPresent(DatabaseSettings db) {
        try {
            return MaintenanceGuard.isOn(db);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Rollback needs to know whether the database " + db.url()
                    + " still refuses changes (maintenance mode), but the query failed: " + e.getMessage()
                    + ". Nothing was changed; make the database reachable and run the rollback again.", e);
        }
    }
}
