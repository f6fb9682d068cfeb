package io.uplift.loadgen;

import java.util.Map;

/**
 * The acknowledged-write check in total and per node that acknowledged the writes (keyed by the
 * node's base URL; empty when the writes carry no node).
 */
public record AckCheckResults(AckCheckResult total, Map<String, AckCheckResult> byNode) {

    public AckCheckResults {
        byNode = Map.copyOf(byNode);
    }

    /** A node that acknowledged no secret has nothing to lose. */
    public AckCheckResult of(String node) {
        return byNode.getOrDefault(node, AckCheckResult.none());
    }
}
