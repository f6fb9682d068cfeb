package io.uplift.api;

import java.nio.file.Path;

/**
 * What 'uplift keys protect' did.
 *
 * @param recorded whether this run recorded the fingerprint in the database (false: it was recorded already)
 */
public record KeysetProtection(Path file, String fingerprint, long primaryKeyId, boolean recorded) {}
