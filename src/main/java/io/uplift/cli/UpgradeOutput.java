package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.StatusResult;
import io.uplift.api.UpgradeResult;
import java.io.PrintWriter;

/** The summary after upgrade, resume and rollback. */
final class UpgradeOutput {
    private UpgradeOutput() {}

    /** Also tells, after a finished upgrade, how many app tokens its releases deprecated. */
    static int print(UpgradeResult r, PrintWriter out, Uplift uplift) {
        int exit = print(r, out);
        if (r.outcome() == UpgradeResult.Outcome.DONE) {
            TokenLines.afterUpgrade(uplift, out);
        }
        return exit;
    }

    static int print(UpgradeResult r, PrintWriter out) {
        out.println();
        out.println(r.message());
        long ran = r.steps().stream().filter(s -> !s.skipped()).count();
        if (ran > 0) {
            long total = r.steps().stream().filter(s -> !s.skipped()).mapToLong(UpgradeResult.StepTime::millis).sum();
            out.printf("%d steps in %.1f s; the slowest:%n", ran, total / 1000.0);
            r.steps().stream().filter(s -> !s.skipped()).sorted((a, b) -> Long.compare(b.millis(), a.millis())).limit(3)
                    .forEach(s -> out.printf("  %-28s %6.1f s  %s%n", s.id(), s.millis() / 1000.0, s.title()));
        }
        if (!r.pendingTasks().isEmpty() && r.outcome() == UpgradeResult.Outcome.DONE) {
            out.println("Post-upgrade tasks pending ('uplift tasks' lists them, 'uplift tasks run' runs the automatic ones):");
            for (StatusResult.Task t : r.pendingTasks()) {
                out.printf("  %s/%s  %s (%s)%n", t.release(), t.id(), t.title(), t.mode());
            }
        }
        out.flush();
        return r.exitCode();
    }
}
