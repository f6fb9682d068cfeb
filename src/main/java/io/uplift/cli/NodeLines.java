package io.uplift.cli;

import io.uplift.api.NodeInfo;
import java.io.PrintWriter;
import java.util.List;

/** The registered nodes as 'uplift nodes' and 'uplift status' print them. */
final class NodeLines {
    private static final String ROW = "  %-15s %-6s %-20s %-8s %-12s %-12s %-10s %-7s %s%n";

    private NodeLines() {}

    /** The status lines: a count, then one line per node. */
    static void status(List<NodeInfo> nodes, PrintWriter out) {
        if (nodes == null) {
            out.printf("Nodes          not read (the database is not reachable or uplift_nodes cannot be read)%n");
            return;
        }
        if (nodes.isEmpty()) {
            out.printf("Nodes          none registered (the product's node gate registers each node at start)%n");
            return;
        }
        out.printf("Nodes          %d registered ('uplift nodes' for details)%n", nodes.size());
        for (NodeInfo n : nodes) {
            out.printf("  %s  %s on %s, version %s, heartbeat %s%s%n", n.nodeId(), n.role(), n.host(), n.programVersion(),
                    age(n.heartbeatAgeSeconds()), NodeInfo.SILENT.equals(n.status()) ? " (silent)" : "");
        }
    }

    /** The table of 'uplift nodes'. */
    static void table(List<NodeInfo> nodes, PrintWriter out) {
        out.printf(ROW, "NODE", "ROLE", "HOST", "VERSION", "KEYSET", "ACCOUNT", "HEARTBEAT", "STATUS", "HOME");
        for (NodeInfo n : nodes) {
            out.printf(ROW, n.nodeId(), n.role(), n.host(), n.programVersion(), n.keysetFingerprint() == null ? "-" : short12(n.keysetFingerprint()),
                    n.serviceAccount(), age(n.heartbeatAgeSeconds()), n.status(), n.home());
        }
    }

    /** Under the table, for each node that is silent or runs another version than the database's: what fixes it. */
    static void fixes(List<NodeInfo> nodes, PrintWriter out) {
        List<NodeInfo> toFix = nodes.stream().filter(n -> n.fix() != null).toList();
        if (toFix.isEmpty()) {
            return;
        }
        out.printf("To fix:%n");
        for (NodeInfo n : toFix) {
            out.printf("  %s (%s, version %s): %s%n", n.nodeId(), n.status(), n.programVersion(), n.fix());
        }
    }

    static String age(long seconds) {
        return NodeInfo.age(seconds);
    }

    private static String short12(String fingerprint) {
        return NodeInfo.short12(fingerprint);
    }
}
