package io.lockbox;

/**
 * What the release in app/ may use of its schema. The demo ships six releases (1.0, 1.1, 2.0, 2.1,
 * 2.2, 3.0) from one code base: every release folder carries the same jar, and app/VERSION, which Uplift
 * replaces with the program files on each hop, chooses the behaviour. A real product would build one
 * jar per release; one module keeps the demo small while each node still runs exactly the behaviour
 * of the release it has, against that release's schema (see the catalog's migrations).
 *
 * @param version          the release, as in app/VERSION
 * @param eventSeverity    2.0 added events.severity (0 info .. 4 critical)
 * @param taxonomies       2.0 files threats into the taxonomies tree
 * @param tokenFormat      the format of new app tokens: v1 until 2.0, which introduced v2 (lbx2_, 32 bytes, base64url)
 * @param partitionedEvents 3.0 made events a table partitioned by hash of id, with an index on (kind, occurred_at)
 * @param storedBy         2.2 records in secrets.stored_by the node that stored each secret
 */
record ReleaseFeatures(String version, boolean eventSeverity, boolean taxonomies, TokenFormat tokenFormat, boolean partitionedEvents,
        boolean storedBy) {
    record TokenFormat(String name, String prefix, int randomBytes, boolean base64url) {}

    static final TokenFormat V1 = new TokenFormat("v1", "lbx1_", 16, false);
    static final TokenFormat V2 = new TokenFormat("v2", "lbx2_", 32, true);

    static ReleaseFeatures of(String version) {
        boolean two = atLeast(version, 2, 0);
        return new ReleaseFeatures(version, two, two, two ? V2 : V1, atLeast(version, 3, 0), atLeast(version, 2, 2));
    }

    private static boolean atLeast(String version, int major, int minor) {
        String[] parts = version.split("\\.");
        int ma = Integer.parseInt(parts[0]);
        int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        return ma > major || (ma == major && mi >= minor);
    }
}
