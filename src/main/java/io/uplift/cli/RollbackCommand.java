package io.uplift.cli;

import io.uplift.Uplift;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Undoes an upgrade in progress (paused, failed or killed): every step that ran is undone in reverse;",
                "schema migrations are undone by restoring the database from the upgrade's verified backup. The installation",
                "ends exactly as before the upgrade. Exit 21 when nothing is in progress."})
final class RollbackCommand implements Callable<Integer> {
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
        if (uplift.upgradeInProgress() && !Confirmation.confirmed(yes, "Roll the upgrade back?", "uplift rollback", out)) {
            out.println("Nothing was changed.");
            return 0;
        }
        PauseOnSignal.install(uplift::requestPause, spec.commandLine().getErr());
        return UpgradeOutput.print(uplift.rollback(new TerminalUpgradeListener(out, spec.commandLine().getErr())), out);
    }
}
