package io.uplift.api;

/**
 * One node registered in the product database by the product's node gate (table uplift_nodes).
 * Shape in --json: docs/json.md, "nodes --json".
 *
 * @param keysetFingerprint   the 64-hex fingerprint of the node's keyset, or null (no keyset, or a legacy file without one)
 * @param heartbeatAgeSeconds seconds since the last heartbeat, on the database clock (node clocks may differ)
 * @param startedAt           when the gate last admitted the node, UTC, ISO 8601
 * @param lastHeartbeat       the last heartbeat, UTC, ISO 8601
 */
public record NodeInfo(String nodeId, String host, String role, String programVersion, String keysetFingerprint, String serviceAccount,
        String home, long heartbeatAgeSeconds, String startedAt, String lastHeartbeat) {}
