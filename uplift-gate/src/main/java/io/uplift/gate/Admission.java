package io.uplift.gate;

/**
 * What the gate found when it let the node run.
 *
 * @param nodeId           this node's id in the registry (kept in HOME/.uplift/node-id)
 * @param databaseVersion  the version the database schema belongs to, or null when Uplift never recorded one
 * @param keysetFingerprint this node's keyset fingerprint, or null when the product has no keyset file
 * @param maintenance      serve reads only: the database is in maintenance mode (an upgrade is under way elsewhere),
 *                         or it is a read-only standby
 * @param standby          the database is a read-only standby (a mirror replaying the primary): reads only, for good
 */
public record Admission(String nodeId, String databaseVersion, String keysetFingerprint, boolean maintenance, boolean standby) {
    /** An admission on a primary database. */
    public Admission(String nodeId, String databaseVersion, String keysetFingerprint, boolean maintenance) {
        this(nodeId, databaseVersion, keysetFingerprint, maintenance, false);
    }
}
