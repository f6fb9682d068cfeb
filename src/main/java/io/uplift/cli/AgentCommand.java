package io.uplift.cli;

import io.uplift.api.AgentSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Runs this node's agent until SIGTERM or Ctrl-C: one per node, beside the product. It beats in the",
                "product database (table uplift_agents), leads the cluster when it holds the leader lease, and carries out",
                "this node's part of a cluster upgrade ('uplift cluster upgrade') under this node's own journal: a killed",
                "agent, started again, resumes it. SIGTERM lets the running step finish first. A second agent on the same",
                "home is refused (exit 15); a database that cannot be reached is retried with a growing pause (up to 30 s),",
                "and the reason is kept in HOME/.uplift/agent-status."})
final class AgentCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--poll-seconds", paramLabel = "S", defaultValue = "2",
            description = "How often to read the cluster tables when no notification arrives (default: ${DEFAULT-VALUE}).")
    double pollSeconds;

    @Option(names = "--lease-seconds", paramLabel = "S", defaultValue = "15",
            description = "How long the leader's lease lasts unrenewed; a leader paused longer is replaced (default: ${DEFAULT-VALUE}).")
    double leaseSeconds;

    @Option(names = "--silent-after-seconds", paramLabel = "S", defaultValue = "60",
            description = "An agent without a heartbeat for longer counts as not running, and no cluster upgrade starts (default: ${DEFAULT-VALUE}).")
    double silentAfterSeconds;

    @Override
    public Integer call() throws InterruptedException {
        AgentSettings settings = new AgentSettings(seconds(pollSeconds), seconds(leaseSeconds), seconds(silentAfterSeconds));
        var uplift = home.configure().load();
        PrintWriter out = spec.commandLine().getOut();
        PauseOnSignal.install(uplift::requestPause, spec.commandLine().getErr());
        uplift.runAgent(settings, line -> {
            out.println(Instant.now() + " " + line);
            out.flush();
        });
        out.println("agent stopped");
        out.flush();
        return 0;
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
