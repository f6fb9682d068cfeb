package io.uplift.api;

import java.util.List;

/**
 * Where the cluster stands: its latest state (empty history: STABLE, never upgraded as a cluster),
 * that upgrade's history, each node's part, the agents and the leader.
 *
 * @param rollback    what undoing would take now: "cancel" (nothing changed yet on any node's version),
 *                    "backup" (a node runs the new version: a rollback restores the primary's backup),
 *                    "program-files" (rolling, before finalize: the previous release runs on the expanded schema,
 *                    so an interrupted node's part is undone by 'uplift rollback' there without restoring a backup),
 *                    or "" when no upgrade is under way
 * @param leader      the agent holding the lease, or "" when none does
 */
public record ClusterStatus(ClusterState state, List<ClusterStateChange> history, List<ClusterNodeProgress> nodes, List<AgentInfo> agents,
        String leader, long leaderFence, String rollback) {}
