package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.ReleaseChecksums;
import io.uplift.install.SchemaMigrations;

/**
 * Applies the hop's Flyway migrations, all in one transaction. Migrations cannot be undone in
 * general, so undo restores the database from the upgrade's verified backup, once per rollback
 * (the journal remembers it was done).
 */
final class MigrateSchemaStep implements UpgradeStep {
    @Override
    public void apply(StepContext c) {
        // Checked again here, not only when the upgrade started: a migration swapped in since then must not run.
        c.catalog().releases().headMap(c.hop().to(), true).values().forEach(ReleaseChecksums::requireMigrationsIntact);
        int ran = SchemaMigrations.migrateTo(c.catalog(), c.hop().to(), c.database());
        c.listener().message(ran + (ran == 1 ? " migration" : " migrations") + " applied");
    }

    @Override
    public void undo(StepContext c) throws Exception {
        if (c.journal().get().databaseRestored() || MoveDatabaseStep.ranInHop(c)) {
            return; // restored already, or this hop's migrations ran on a new server that the move's undo discards
        }
        String backupId = c.journal().get().backupId();
        if (backupId == null) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "The journal names no backup to restore the database from, "
                    + "yet the migrations may have run. Restore the database by hand from your own backup.");
        }
        if (!c.acceptKeysetMismatch()) {
            c.backups().requireKeysetMatches(backupId, c.home());
        }
        // The restore writes, and maintenance mode made the database read-only for new sessions.
        MaintenanceMode.setReadOnly(c.database(), false);
        c.backups().restoreDatabase(backupId, c.installation());
        if (MaintenanceMode.isOn(c.home())) {
            MaintenanceMode.setReadOnly(c.database(), true);
        }
        c.journal().databaseRestored();
        c.listener().message("database restored from backup " + backupId);
    }
}
