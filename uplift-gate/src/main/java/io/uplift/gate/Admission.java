package io.uplift.gate;

/**
 * What the gate found when it let the node run.
 *
 * @param nodeId           this node's id in the registry (kept in HOME/.uplift/node-id)
 * @param databaseVersion  the version the database schema belongs to, or null when Uplift never recorded one
 * @param keysetFingerprint this node's keyset fingerprint, or null when the product has no keyset file
 * @param maintenance      the database is in maintenance mode (an upgrade is under way elsewhere): serve reads only
 */
public record Admission(String nodeId, String databaseVersion, String keysetFingerprint, boolean maintenance) {}
