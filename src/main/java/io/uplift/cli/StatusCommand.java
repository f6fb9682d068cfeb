package io.uplift.cli;

import io.uplift.api.StatusResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows the installed version, the schema version, the database server, the node-local files,",
                "pending post-upgrade tasks, whether an upgrade is running or was interrupted, and the nodes registered",
                "by the product's node gate.",
                "Starts the database server first if Uplift manages it and it is down."})
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--json", description = "Print the status as JSON (shape: docs/json.md, 'status --json').")
    boolean json;

    @Override
    public Integer call() {
        StatusResult s = home.configure().load().status();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, s);
            return 0;
        }
        out.printf("Installation   %s%n", s.home());
        out.printf("Product        %s %s%n", s.product(), s.installedVersion());
        out.printf("Schema         %s%n", s.schemaVersion());
        StatusResult.Database db = s.database();
        out.printf("Database       %s%n", db.url());
        if (db.reachable()) {
            out.printf("               PostgreSQL %s, reachable%n", db.serverVersion());
        } else {
            out.printf("               not reachable: %s%n", db.error());
        }
        if (db.managed()) {
            out.printf("               server managed by Uplift: %s%n", db.serverState());
        }
        out.println("Node-local     " + (s.nodeLocalFiles().isEmpty() ? "none declared" : ""));
        for (StatusResult.NodeLocalFile f : s.nodeLocalFiles()) {
            out.printf("  %-30s %s%n", f.path(), f.state());
        }
        out.println("Pending tasks  " + (s.pendingTasks().isEmpty() ? "none" : ""));
        for (StatusResult.Task t : s.pendingTasks()) {
            out.printf("  %s/%s  %s (%s)%n", t.release(), t.id(), t.title(), t.mode());
        }
        TokenLines.status(s.tokens(), out);
        out.printf("Upgrade        %s%s%n", s.upgrade().state(), s.upgrade().detail().isEmpty() ? "" : ": " + s.upgrade().detail());
        if (s.upgrade().progress() != null) {
            printProgress(out, s.upgrade().progress());
        }
        out.printf("Key rotation   %s%s%n", s.keys().rotation(), s.keys().retiring().stream()
                .map(k -> "; key " + k.keyId() + " retiring until " + k.until()).reduce("", String::concat));
        NodeLines.status(s.nodes(), out);
        out.flush();
        return 0;
    }

    private static String amount(long n, String unit) {
        return String.format("%,d %s", n, unit);
    }

    /** The running (or interrupted) step's last report: what it counts, rate, ETA, its last messages. */
    private static void printProgress(PrintWriter out, StatusResult.Progress p) {
        String amount = p.total() > 0
                ? String.format("%d%% of %s", Math.min(100, p.done() * 100 / p.total()), amount(p.total(), p.unit()))
                : amount(p.done(), p.unit()) + " so far";
        String rate = p.perSecond() > 0 ? ", " + amount(p.perSecond(), p.unit()) + "/s" : "";
        String eta = p.etaSeconds() == null ? "" : String.format(", ETA %dm%02ds", p.etaSeconds() / 60, p.etaSeconds() % 60);
        out.printf("Progress       %s: %s%s%s (reported %s)%n", p.step(), amount, rate, eta, p.updatedAt());
        for (String line : p.recent()) {
            out.printf("  %s%n", line);
        }
    }
}
