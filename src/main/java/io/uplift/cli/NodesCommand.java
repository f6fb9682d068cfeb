package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.ForgottenNode;
import io.uplift.api.NodeInfo;
import io.uplift.api.NodeList;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = {"Lists the nodes registered in the product database by the product's node gate (uplift-gate):",
                "id, role, host, program version, keyset fingerprint, service account, last heartbeat (on the database",
                "clock), status (alive, or silent after 60 s without a heartbeat) and home, and for a node that is silent",
                "or runs another version than the database's, the command that fixes it. Changes nothing; starts the",
                "database server first if Uplift manages it and it is down."},
        subcommands = NodesCommand.Forget.class)
final class NodesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--json", description = "Print the nodes as JSON (shape: docs/json.md, 'nodes --json').")
    boolean json;

    @Override
    public Integer call() {
        NodeList list = home.configure().load().nodes();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, list);
            return 0;
        }
        if (list.nodes().isEmpty()) {
            out.printf("No node of %s is registered in its database yet: the product's node gate registers each node when it starts.%n",
                    list.home());
        } else {
            out.printf("%d node%s of %s %s (the database belongs to %s):%n", list.nodes().size(), list.nodes().size() == 1 ? "" : "s",
                    list.product(), list.home(), list.databaseVersion() == null ? "no recorded version" : "version " + list.databaseVersion());
            NodeLines.table(list.nodes(), out);
            NodeLines.fixes(list.nodes(), out);
        }
        if (list.cluster() != null) {
            ClusterLines.print(list.cluster(), out);
        }
        out.flush();
        return 0;
    }

    @Command(name = "forget", mixinStandardHelpOptions = true,
            description = {"Removes the row of node ID, a node that is gone, from the registry (uplift_nodes), so that",
                    "'uplift check' stops naming it. Only a silent node (no heartbeat for 60 s) is removed: a node that",
                    "is alive is refused (exit 26) and an unknown id too (exit 2), with nothing changed. A node started",
                    "again later registers itself again."})
    static final class Forget implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Parameters(paramLabel = "ID", description = "The node's id, as 'uplift nodes' shows it (node-3fa91c07).")
        String nodeId;

        @Mixin
        YesOption yes;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Uplift uplift = home.configure().load();
            Optional<NodeInfo> node = uplift.nodes().nodes().stream().filter(n -> n.nodeId().equals(nodeId)).findFirst();
            // Only a node that can be forgotten is asked about: forgetNode refuses an unknown or alive one with the reason.
            if (node.isPresent() && NodeInfo.SILENT.equals(node.get().status())
                    && !yes.confirmed("Forget node " + nodeId + " (" + node.get().role() + " on " + node.get().host() + ", home "
                            + node.get().home() + ", last heartbeat " + NodeLines.age(node.get().heartbeatAgeSeconds()) + ")?",
                            "uplift nodes forget", out)) {
                out.println("Nothing was changed.");
                return 0;
            }
            ForgottenNode f = uplift.forgetNode(nodeId);
            if (f.removed()) {
                out.printf("Forgot node %s (%s on %s, home %s): its row is gone from uplift_nodes. If it starts again, its node gate"
                        + " registers it again.%n", f.node().nodeId(), f.node().role(), f.node().host(), f.node().home());
            } else {
                out.printf("Node %s was already gone from uplift_nodes (removed by another 'uplift nodes forget'): nothing to do.%n",
                        f.node().nodeId());
            }
            out.flush();
            return 0;
        }
    }
}
