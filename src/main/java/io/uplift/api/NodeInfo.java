package io.uplift.api;

/**
 * One node registered in the product database by the product's node gate (table uplift_nodes).
 * Shape in --json: docs/json.md, "nodes --json". The fields up to {@code lastHeartbeat} are the
 * row as the gate wrote it; {@code status} and {@code fix} are Uplift's judgement of it.
 *
 * @param keysetFingerprint   the 64-hex fingerprint of the node's keyset, or null (no keyset, or a legacy file without one)
 * @param heartbeatAgeSeconds seconds since the last heartbeat, on the database clock (node clocks may differ)
 * @param startedAt           when the gate last admitted the node, UTC, ISO 8601
 * @param lastHeartbeat       the last heartbeat, UTC, ISO 8601
 * @param status              "alive" (a heartbeat within the silent-after threshold) or "silent"
 * @param fix                 what brings the node back in line when it is silent or runs another version than the
 *                            one the database belongs to (a command, or what to do and the command); null when nothing is to fix
 */
public record NodeInfo(String nodeId, String host, String role, String programVersion, String keysetFingerprint, String serviceAccount,
        String home, long heartbeatAgeSeconds, String startedAt, String lastHeartbeat, String status, String fix) {
    public static final String ALIVE = "alive";
    public static final String SILENT = "silent";
}
