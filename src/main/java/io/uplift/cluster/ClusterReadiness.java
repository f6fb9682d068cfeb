package io.uplift.cluster;

import io.uplift.api.AgentInfo;
import io.uplift.api.NodeInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Whether a cluster upgrade may start, decided before anything is touched: the rules 'uplift check'
 * applies to the nodes ({@link ClusterConsistency}: one keyset, one service account, none silent),
 * plus what only a cluster upgrade needs: the primary is registered and every node has a running
 * agent to carry out its part. Pure logic over what the tables say.
 */
final class ClusterReadiness {
    private ClusterReadiness() {}

    /**
     * The refusal, naming the nodes and what to do; empty when the upgrade may start.
     *
     * @param agentSilentAfterSeconds an agent whose last beat is older is not running
     */
    static Optional<String> refusal(List<NodeInfo> nodes, List<AgentInfo> agents, String primary, long agentSilentAfterSeconds) {
        Optional<NodeInfo> primaryNode = nodes.stream().filter(n -> n.nodeId().equals(primary)).findFirst();
        if (primaryNode.isEmpty()) {
            return Optional.of("the primary node " + primary + " is not registered: start the product on it first");
        }
        String home = primaryNode.get().home();
        List<String> problems = new ArrayList<>();
        ClusterConsistency.problems(nodes, null, null, home).forEach(p -> problems.add(p.observed() + " (" + p.remedy() + ")"));
        Map<String, AgentInfo> byNode = agents.stream().collect(Collectors.toMap(AgentInfo::nodeId, Function.identity()));
        for (NodeInfo n : nodes) {
            AgentInfo agent = byNode.get(n.nodeId());
            if (agent == null || agent.lastSeenSeconds() > agentSilentAfterSeconds) {
                problems.add("node " + n.nodeId() + " has no running agent (run 'uplift agent --home " + n.home() + "' there)");
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /**
     * The upgrade order: the primary, then the others by role in the order the catalog declares
     * ({@code roles} of product.yaml; a role it does not name comes after those it does, by name), then by id.
     */
    static List<String> order(List<NodeInfo> nodes, String primary, List<String> roles) {
        Comparator<NodeInfo> byDeclaredRole = Comparator.comparingInt(n -> roles.contains(n.role()) ? roles.indexOf(n.role()) : roles.size());
        List<String> order = new ArrayList<>(List.of(primary));
        nodes.stream().filter(n -> !n.nodeId().equals(primary))
                .sorted(byDeclaredRole.thenComparing(NodeInfo::role).thenComparing(NodeInfo::nodeId))
                .forEach(n -> order.add(n.nodeId()));
        return List.copyOf(order);
    }
}
