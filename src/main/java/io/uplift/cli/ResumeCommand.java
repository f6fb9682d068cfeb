package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeListener;
import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Finishes an upgrade that was paused, failed or killed, from its journal: steps already done are",
                "skipped, the interrupted one runs again (every step is idempotent). Exit 21 when nothing is in progress."})
final class ResumeCommand extends JournalCommand {
    @Override
    String verb() {
        return "resume";
    }

    @Override
    UpgradeResult act(Uplift uplift, UpgradeListener listener) {
        return uplift.resume(listener);
    }
}
