package io.uplift.cluster;

import io.uplift.api.AgentInfo;
import io.uplift.api.NodeInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Whether a cluster upgrade may start, decided before anything is touched: every registered node is
 * alive and has a running agent, all hold the same keyset and run as the same service account (the
 * documents' "Encryption configs don't match" and "same service account on every server"), and the
 * primary is one of them. Pure logic over what the tables say.
 */
final class ClusterReadiness {
    private ClusterReadiness() {}

    /** The refusal, naming the nodes and what to do; empty when the upgrade may start. */
    static Optional<String> refusal(List<NodeInfo> nodes, List<AgentInfo> agents, String primary, long silentAfterSeconds) {
        if (nodes.isEmpty()) {
            return Optional.of("no node is registered in the database: start the product on each node first");
        }
        if (nodes.stream().noneMatch(n -> n.nodeId().equals(primary))) {
            return Optional.of("the primary node " + primary + " is not registered: start the product on it first");
        }
        List<String> problems = new ArrayList<>();
        Map<String, AgentInfo> byNode = agents.stream().collect(Collectors.toMap(AgentInfo::nodeId, Function.identity()));
        for (NodeInfo n : nodes) {
            if (n.heartbeatAgeSeconds() > silentAfterSeconds) {
                problems.add("node " + n.nodeId() + " (" + n.home() + ") is silent for " + n.heartbeatAgeSeconds()
                        + " s: start it, or run 'uplift nodes forget " + n.nodeId() + "' if it is gone");
            }
            AgentInfo agent = byNode.get(n.nodeId());
            if (agent == null || agent.lastSeenSeconds() > silentAfterSeconds) {
                problems.add("node " + n.nodeId() + " has no running agent: run 'uplift agent --home " + n.home() + "' there");
            }
        }
        differing(nodes, NodeInfo::keysetFingerprint, "keysets", f -> f == null ? "none" : f.substring(0, Math.min(12, f.length())))
                .ifPresent(problems::add);
        differing(nodes, NodeInfo::serviceAccount, "service accounts", f -> f == null ? "none" : f).ifPresent(problems::add);
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /** The upgrade order: the primary, then the others by role and id (the order 'uplift nodes' shows them). */
    static List<String> order(List<NodeInfo> nodes, String primary) {
        List<String> order = new ArrayList<>(List.of(primary));
        nodes.stream().filter(n -> !n.nodeId().equals(primary))
                .sorted(Comparator.comparing(NodeInfo::role).thenComparing(NodeInfo::nodeId))
                .forEach(n -> order.add(n.nodeId()));
        return List.copyOf(order);
    }

    private static Optional<String> differing(List<NodeInfo> nodes, Function<NodeInfo, String> value, String what,
            Function<String, String> shown) {
        Map<String, List<String>> groups = nodes.stream().collect(Collectors.groupingBy(n -> Objects.toString(value.apply(n), ""),
                java.util.TreeMap::new, Collectors.mapping(NodeInfo::nodeId, Collectors.toList())));
        if (groups.size() <= 1) {
            return Optional.empty();
        }
        return Optional.of("the nodes' " + what + " differ: " + groups.entrySet().stream()
                .map(e -> shown.apply(e.getKey().isEmpty() ? null : e.getKey()) + " on " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; ")) + " (every node must hold the same; fix the odd ones before upgrading)");
    }
}
