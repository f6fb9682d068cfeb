package io.uplift.cli;

import io.uplift.api.CheckReport;
import io.uplift.api.CheckResult;
import io.uplift.api.CheckStatus;
import io.uplift.api.UpgradeTarget;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Runs the preflight checks for an upgrade to --to and changes nothing (it only starts the",
                "database server if Uplift manages it and it is down). Each check passes, warns or fails with a remedy.",
                "Exit code: 0 all passed, 3 warnings only, 4 at least one failure."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--to", required = true, paramLabel = "VERSION", description = "The release to upgrade to, e.g. 3.0.")
    String to;

    @Option(names = "--backup-dir", paramLabel = "DIR",
            description = "Where the backup will be written (default: HOME/.uplift/backups); its free space is checked.")
    java.nio.file.Path backupDir;

    @Option(names = "--json", description = "Print the results as JSON (shape: docs/json.md, 'check --json').")
    boolean json;

    @Override
    public Integer call() {
        var builder = home.configure();
        if (backupDir != null) {
            builder.backupDir(backupDir);
        }
        CheckReport report = builder.load().check(new UpgradeTarget(to));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, report);
            return report.exitCode();
        }
        out.printf("Checks for the upgrade %s -> %s%n", report.installed(), report.target());
        for (CheckResult r : report.results()) {
            out.printf("  [%s] %s: %s%n", r.status(), r.title(), r.observed());
            if (r.status() != CheckStatus.PASS) {
                out.printf("         what to do: %s%n", r.remedy());
            }
        }
        out.printf("%d passed, %d warnings, %d failures%n", report.count(CheckStatus.PASS), report.count(CheckStatus.WARN),
                report.count(CheckStatus.FAIL));
        out.flush();
        return report.exitCode();
    }
}
