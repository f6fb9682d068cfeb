package io.uplift.loadgen;

/**
 * A secret write Lockbox acknowledged with 201 and an id: it must be readable, equal, afterwards.
 *
 * @param node the base URL of the node that acknowledged it (null when only one node was driven)
 */
public record AcknowledgedSecret(long id, String name, String value, long acknowledgedAt, String node) {

    public AcknowledgedSecret(long id, String name, String value, long acknowledgedAt) {
        this(id, name, value, acknowledgedAt, null);
    }
}
