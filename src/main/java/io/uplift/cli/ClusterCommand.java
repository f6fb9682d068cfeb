package io.uplift.cli;

import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import io.uplift.api.ClusterStatus;
import io.uplift.api.UpgradeTarget;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "cluster", mixinStandardHelpOptions = true,
        subcommands = {ClusterCommand.Upgrade.class, ClusterCommand.Status.class, ClusterCommand.Cancel.class},
        description = {"Upgrades every node of a cluster (several homes sharing one product database), carried out by the",
                "nodes' agents ('uplift agent'). States: STABLE -> PREPARED -> MIXED -> READY_TO_FINALIZE -> FINALIZING -> STABLE,",
                "or FAILED, or CANCELLED (README, 'Clusters')."})
final class ClusterCommand {
    private ClusterCommand() {}

    @Command(name = "upgrade", mixinStandardHelpOptions = true,
            description = {"Asks the agents to upgrade the cluster to --to, primary-first: this home's node is the primary. The",
                    "other nodes are drained and stopped, the primary upgrades (backup, migrations, keys, program files), then",
                    "each other node takes the new program files and starts. Checks first: every node alive with an agent, the",
                    "same keyset and service account everywhere; a refusal changes nothing. Follows the states until the end."})
    static final class Upgrade implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Mixin
        YesOption yes;

        @Option(names = "--to", required = true, paramLabel = "VERSION", description = "The release to upgrade every node to.")
        String to;

        @Option(names = "--no-wait", description = "Only ask; do not follow the upgrade ('uplift cluster status' follows it later).")
        boolean noWait;

        @Option(names = "--timeout-minutes", paramLabel = "M", defaultValue = "120",
                description = "Stop following (not the upgrade) after this long (default: ${DEFAULT-VALUE}).")
        long timeoutMinutes;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            var uplift = home.configure().load();
            UpgradeTarget target = new UpgradeTarget(to);
            if (!yes.confirmed("Upgrade every node of the cluster to " + to + ", this node first?", "uplift cluster upgrade", out)) {
                out.println("Nothing was asked.");
                return 0;
            }
            long id = uplift.requestClusterUpgrade(target);
            out.printf("Cluster upgrade %d to %s asked; the leading agent carries it out.%n", id, to);
            out.flush();
            if (noWait) {
                return 0;
            }
            Optional<ClusterStateChange> last = uplift.followClusterUpgrade(id, Duration.ofMinutes(timeoutMinutes), c -> {
                out.printf("  %-17s %s (by %s, fence %d)%n", c.state(), c.reason(), c.movedBy(), c.fence());
                out.flush();
            });
            if (last.isEmpty()) {
                out.printf("Still running after %d minutes; 'uplift cluster status' shows where it is.%n", timeoutMinutes);
                return 31;
            }
            return last.get().state() == ClusterState.STABLE ? 0 : 30;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Where the cluster stands: its state, the current upgrade's states with who moved them and why, each",
                    "node's part, the agents and the leader, and whether undoing is still a cancel or now needs the backup."})
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Option(names = "--json", description = "Print as JSON (shape: docs/json.md, 'cluster status --json').")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ClusterStatus s = home.configure().load().clusterStatus();
            if (json) {
                JsonOutput.print(out, s);
                return 0;
            }
            ClusterLines.print(s, out);
            return 0;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = {"Cancels the cluster upgrade under way while that is safe: before the primary starts its upgrade. The",
                    "stopped nodes start again at their version. Refused, saying why, once the primary started."})
    static final class Cancel implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Override
        public Integer call() {
            long id = home.configure().load().requestClusterCancel();
            spec.commandLine().getOut().printf("Cancel asked (request %d); 'uplift cluster status' shows when every node serves again.%n", id);
            return 0;
        }
    }
}
