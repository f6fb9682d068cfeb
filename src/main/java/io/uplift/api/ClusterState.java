package io.uplift.api;

/**
 * The states of a cluster upgrade, appended one row at a time to uplift_cluster_state:
 * <pre>
 * STABLE -> PREPARED -> MIXED -> READY_TO_FINALIZE -> FINALIZING -> STABLE
 *              |           |            |
 *              |           +------------+--> FAILED   (a node's part failed: fix it, ask again)
 *              +--> CANCELLED                (only before the first node runs the new version)
 * </pre>
 * PREPARED: the nodes are known and checked, the other nodes are drained and stopped, the primary
 * upgrades. MIXED: the primary runs the new version, the others follow one at a time. READY_TO_FINALIZE:
 * every node runs the new version. FINALIZING: the last checks before the cluster is STABLE again.
 */
public enum ClusterState {
    STABLE, PREPARED, MIXED, READY_TO_FINALIZE, FINALIZING, FAILED, CANCELLED;

    /** Whether no upgrade is under way in this state: a new one may be asked for. */
    public boolean ended() {
        return this == STABLE || this == FAILED || this == CANCELLED;
    }
}
