package io.uplift.api;

import java.util.List;

/**
 * What 'uplift nodes' reports: the nodes registered in the database of the installation in {@code home},
 * ordered by role, host and id. Empty when no node gate has registered a node yet.
 *
 * @param databaseVersion    the version the database belongs to (table uplift_installation), null when none is recorded
 * @param silentAfterSeconds a node whose last heartbeat is at least this old is "silent"
 * @param cluster            the cluster's state, the current (or last) cluster upgrade with each node's part in it, and the
 *                           agents; null when no agent ever ran against this database
 */
public record NodeList(String home, String product, List<NodeInfo> nodes, String databaseVersion, long silentAfterSeconds,
        ClusterStatus cluster) {
    public NodeList {
        nodes = List.copyOf(nodes);
    }
}
