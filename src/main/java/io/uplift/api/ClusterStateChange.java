package io.uplift.api;

import java.util.List;

/**
 * One row of the cluster's history (uplift_cluster_state): the state the cluster moved to, for which
 * upgrade, by which agent under which fence, and why. Shape in --json: docs/json.md, "cluster status --json".
 *
 * @param upgradeId the id of the operator's request that started this upgrade
 * @param nodes     the node ids taking part, primary first, in the order they are upgraded
 * @param at        UTC, ISO 8601, on the database clock
 */
public record ClusterStateChange(long seq, long upgradeId, ClusterState state, String fromVersion, String toVersion, ClusterMode mode,
        String primaryNode, List<String> nodes, long fence, String movedBy, String reason, String at) {}
