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

    /** "12 s ago", "4 min ago", "3 h ago", "2 d ago": a heartbeat's age as the command line and the console show it. */
    public static String age(long seconds) {
        return duration(seconds) + " ago";
    }

    /** "12 s", "4 min", "3 h", "2 d": a heartbeat's age as the messages say it. */
    public static String duration(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + " h";
        }
        return seconds / 86400 + " d";
    }

    /** The first 12 hex digits of a fingerprint, as Uplift shows fingerprints everywhere. */
    public static String short12(String fingerprint) {
        return fingerprint.length() <= 12 ? fingerprint : fingerprint.substring(0, 12);
    }
}
