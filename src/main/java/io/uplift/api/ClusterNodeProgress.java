package io.uplift.api;

/**
 * One node's part in the current cluster upgrade.
 *
 * @param action  what the leader last ordered the node to do (STOP, UPGRADE_PRIMARY, UPGRADE_NODE, START, ADD_KEY, RETIRE_KEY), or "" when nothing yet
 * @param outcome "" while it runs, DONE or FAILED once the node's agent reported
 * @param detail  the agent's report, e.g. the error and the command that fixes it
 */
public record ClusterNodeProgress(String nodeId, String action, String outcome, String detail) {}
