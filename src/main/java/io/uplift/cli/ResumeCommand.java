package io.uplift.cli;

import io.uplift.Uplift;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Finishes an upgrade that was paused, failed or killed, from its journal: steps already done are",
                "skipped, the interrupted one runs again (every step is idempotent). Exit 21 when nothing is in progress."})
final class ResumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--backup-dir", paramLabel = "DIR",
            description = "The folder holding the upgrade's backup (default: the one the upgrade used, as its journal records).")
    java.nio.file.Path backupDir;

    @Option(names = "--yes", description = "Do not ask for confirmation (needed without a terminal).")
    boolean yes;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        Uplift uplift = home.configure(backupDir).load();
        if (uplift.upgradeInProgress() && !Confirmation.confirmed(yes, "Resume the upgrade?", "uplift resume", out)) {
            out.println("Nothing was changed.");
            return 0;
        }
        PauseOnSignal.install(uplift::requestPause, spec.commandLine().getErr());
        return UpgradeOutput.print(uplift.resume(new TerminalUpgradeListener(out, spec.commandLine().getErr())), out);
    }
}
