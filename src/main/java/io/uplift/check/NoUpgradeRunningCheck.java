package io.uplift.check;

import io.uplift.api.CheckResult;
import io.uplift.journal.HomeLock;
import java.nio.file.Files;
import java.util.Optional;

final class NoUpgradeRunningCheck implements PreflightCheck {
    private static final String ID = "no-upgrade-running";
    private static final String TITLE = "No other upgrade running";

    @Override
    public CheckResult run(CheckContext c) {
        Optional<String> holder = HomeLock.holder(c.installation().lockFile());
        if (holder.isPresent()) {
            return CheckResult.fail(ID, TITLE, "the installation is locked by " + holder.get(),
                    "wait for that command to finish; if its process is gone the lock frees itself");
        }
        if (Files.exists(c.installation().journalFile())) {
            return CheckResult.fail(ID, TITLE, "an earlier upgrade was interrupted (" + c.installation().journalFile() + ")",
                    "finish it with 'uplift resume' or undo it with 'uplift rollback'");
        }
        return CheckResult.pass(ID, TITLE, "no lock held, no interrupted upgrade");
    }
}
