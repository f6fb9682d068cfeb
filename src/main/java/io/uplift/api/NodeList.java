package io.uplift.api;

import java.util.List;

/**
 * What 'uplift nodes' reports: the nodes registered in the database of the installation in {@code home},
 * ordered by role, host and id. Empty when no node gate has registered a node yet.
 */
public record NodeList(String home, String product, List<NodeInfo> nodes) {
    public NodeList {
        nodes = List.copyOf(nodes);
    }
}
