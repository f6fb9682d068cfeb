package io.uplift.cli;

import io.uplift.api.AgentInfo;
import io.uplift.api.ClusterNodeProgress;
import io.uplift.api.ClusterStateChange;
import io.uplift.api.ClusterStatus;
import java.io.PrintWriter;

/** The cluster's state as 'uplift cluster status' and 'uplift nodes' print it. */
final class ClusterLines {
    private ClusterLines() {}

    static void print(ClusterStatus s, PrintWriter out) {
        String undo = switch (s.rollback()) {
            case "cancel" -> " (no node runs the new version yet: 'uplift cluster cancel' undoes it)";
            case "backup" -> " (the primary's upgrade started: undoing it now is 'uplift rollback' on the primary, which restores its backup)";
            case "program-files" -> " (rolling, before finalize: the previous release still runs on this schema; an interrupted node's"
                    + " part is undone by 'uplift rollback' on that node, without restoring any backup)";
            default -> "";
        };
        out.printf("Cluster        %s%s%n", s.state(), undo);
        out.printf("Leader         %s%n", s.leader().isEmpty() ? "none" : s.leader() + " (fence " + s.leaderFence() + ")");
        if (!s.history().isEmpty()) {
            ClusterStateChange first = s.history().get(0);
            out.printf("Upgrade %d      %s -> %s, %s, primary %s:%n", first.upgradeId(), first.fromVersion(), first.toVersion(),
                    first.mode().name().toLowerCase().replace('_', '-'), first.primaryNode());
        }
        for (ClusterStateChange c : s.history()) {
            out.printf("  %s %-17s %s (by %s, fence %d)%n", c.at(), c.state(), c.reason(), c.movedBy(), c.fence());
        }
        for (ClusterNodeProgress n : s.nodes()) {
            out.printf("  node %-20s %-16s %-7s %s%n", n.nodeId(), n.action().isEmpty() ? "(nothing yet)" : n.action(), n.outcome(),
                    n.detail());
        }
        for (AgentInfo a : s.agents()) {
            out.printf("  agent of %-16s seen %s, %s (%s)%n", a.nodeId(), NodeLines.age(a.lastSeenSeconds()), a.activity(), a.home());
        }
        out.flush();
    }
}
