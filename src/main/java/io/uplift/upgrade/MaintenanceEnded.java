package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.DatabaseSettings;
import io.uplift.journal.Journal;
import io.uplift.journal.JournalStep;
import io.uplift.journal.StepStatus;
import io.uplift.plan.StepKind;
import java.sql.SQLException;

/**
 * Rollback restores the backup taken at the start of the upgrade. That loses nothing only while
 * maintenance mode has refused every change since; once the upgrade left maintenance (its last
 * step), the product may have written, and restoring would silently discard those changes. Then the
 * upgrade is complete but for its final record, and rollback is refused: resume finishes it.
 */
final class MaintenanceEnded {
    private MaintenanceEnded() {}

    /** Throws when a rollback could discard changes the database acknowledged after maintenance ended. */
    static void refuseRollback(Journal journal, DatabaseSettings db, String resume) {
        for (JournalStep js : journal.get().steps()) {
            if (!js.kind().equals(StepKind.MAINTENANCE_OFF.name())) {
                continue;
            }
            boolean ended = js.status() == StepStatus.DONE
                    // Interrupted or failed while leaving: the guard and the read-only default go in one transaction,
                    // so the guard still being there means the database has refused every change all along.
                    || ((js.status() == StepStatus.STARTED || js.status() == StepStatus.FAILED) && !guardPresent(db));
            if (ended) {
                throw new UpliftException(ErrorCode.UPGRADE_FAILED, "Rollback refused, nothing was changed: step " + js.id()
                        + " let the database accept changes again, so the product may have written since; restoring the backup"
                        + " taken at the start of the upgrade would silently discard those changes. The upgrade to "
                        + journal.get().target() + " has done its work; run '" + resume + "' to finish it.");
            }
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
