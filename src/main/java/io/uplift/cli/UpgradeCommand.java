package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.CheckReport;
import io.uplift.api.CheckResult;
import io.uplift.api.CheckStatus;
import io.uplift.api.PlanResult;
import io.uplift.api.UpgradeTarget;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "upgrade", mixinStandardHelpOptions = true,
        description = {"Upgrades the installation to --to: shows the plan and the checks, asks for confirmation, then runs",
                "every step under a journal. The first hop backs up the database, program files, config/ and data/ and",
                "verifies the backup before anything else is touched.",
                "Ctrl-C or SIGTERM stops after the current step (exit 20); 'uplift resume' goes on, 'uplift rollback' undoes.",
                "After a crash or kill -9, the same two commands work from the journal."})
final class UpgradeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--to", required = true, paramLabel = "VERSION", description = "The release to upgrade to, e.g. 2.1.")
    String to;

    @Option(names = "--backup-dir", paramLabel = "DIR",
            description = "Where the backup goes (default: HOME/.uplift/backups; another disk is better). "
                    + "The newest 3 backups are kept, and never the one of an upgrade in progress.")
    Path backupDir;

    @Mixin
    YesOption yes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Uplift uplift = home.configure(backupDir).load();
        UpgradeTarget target = new UpgradeTarget(to);
        PlanResult plan = uplift.plan(target);
        if (!plan.isEmpty()) {
            out.printf("Upgrade %s %s -> %s: %s%n", plan.product(), plan.installed(), plan.target(),
                    String.join(" -> ", plan.hops().stream().map(PlanResult.Hop::to).toList()));
            CheckReport report = uplift.check(target);
            for (CheckResult r : report.results()) {
                if (r.status() != CheckStatus.PASS) {
                    out.printf("  [%s] %s: %s%n", r.status(), r.title(), r.observed());
                }
            }
            out.printf("  checks: %d passed, %d warnings, %d failures%n", report.count(CheckStatus.PASS), report.count(CheckStatus.WARN),
                    report.count(CheckStatus.FAIL));
            if (!yes.confirmed("Start the upgrade?", "uplift upgrade", out)) {
                out.println("Nothing was changed.");
                return 0;
            }
        }
        PauseOnSignal.install(uplift::requestPause, spec.commandLine().getErr());
        return UpgradeOutput.print(uplift.upgrade(target, new TerminalUpgradeListener(out, spec.commandLine().getErr())), out, uplift);
    }
}
