package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeListener;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** What resume and rollback share: they act on the upgrade the journal records, after a confirmation. */
abstract class JournalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--backup-dir", paramLabel = "DIR",
            description = "The folder holding the upgrade's backup (default: the one the upgrade used, as its journal records).")
    Path backupDir;

    @Mixin
    YesOption yes;

    abstract String verb();

    abstract UpgradeResult act(Uplift uplift, UpgradeListener listener);

    /** Settings of one command only (rollback's --accept-keyset-mismatch). */
    Uplift.Builder configure(Uplift.Builder builder) {
        return builder;
    }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        Uplift uplift = configure(home.configure(backupDir)).load();
        if (uplift.upgradeInProgress() && !yes.confirmed(verb() + " the upgrade in progress?", "uplift " + verb(), out)) {
            out.println("Nothing was changed.");
            return 0;
        }
        PauseOnSignal.install(uplift::requestPause, spec.commandLine().getErr());
        return UpgradeOutput.print(act(uplift, new TerminalUpgradeListener(out, spec.commandLine().getErr())), out, uplift);
    }
}
