package io.uplift.api;

/**
 * One node's agent ('uplift agent') as it last reported itself in uplift_agents.
 *
 * @param activity      what it does: "idle" or the order it carries out ("UPGRADE_NODE to 2.1"), after "leading (fence N); " when it leads
 * @param lastSeenSeconds seconds since its last heartbeat, on the database clock
 */
public record AgentInfo(String nodeId, String agent, String host, String home, String activity, long lastSeenSeconds) {}
