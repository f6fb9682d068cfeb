package io.uplift.upgrade;

import io.uplift.api.BackupResult;

/**
 * The verified backup that rollback restores from. One per upgrade: it is taken in the first hop;
 * a resume that finds it recorded and still valid does not take it again.
 */
final class BackupStep implements UpgradeStep {
    @Override
    public void apply(StepContext c) {
        String recorded = c.journal().get().backupId();
        if (recorded != null && c.backups().verify(recorded).ok()) {
            return;
        }
        BackupResult backup = c.backups().create(c.installation(), c.listener().progress(c.step()));
        c.journal().backupId(backup.id());
        c.listener().message("backup " + backup.id() + " written and verified");
    }

    @Override
    public void undo(StepContext c) {
        // The backup stays: it is the way back, and retention removes it in time.
    }
}
