package io.uplift.loadgen;

/** A secret write Lockbox acknowledged with 201 and an id: it must be readable, equal, afterwards. */
public record AcknowledgedSecret(long id, String name, String value, long acknowledgedAt) {
}
