package io.uplift.cli;

import io.uplift.api.NodeList;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = {"Lists the nodes registered in the product database by the product's node gate (uplift-gate):",
                "id, role, host, program version, keyset fingerprint, service account, last heartbeat (on the database",
                "clock) and home. Changes nothing; starts the database server first if Uplift manages it and it is down."})
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
            out.printf("%d node%s of %s %s:%n", list.nodes().size(), list.nodes().size() == 1 ? "" : "s", list.product(), list.home());
            NodeLines.table(list.nodes(), out);
        }
        out.flush();
        return 0;
    }
}
