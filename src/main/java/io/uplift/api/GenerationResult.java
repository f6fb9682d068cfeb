package io.uplift.api;

import java.time.Duration;

/** The rows demo data generator loaded, per table, and how long it took. */
public record GenerationResult(
        long users,
        long threats,
        long secrets,
        long appTokens,
        long events,
        long eventThreats,
        Duration elapsed) {

    public long totalRows() {
        return users + threats + secrets + appTokens + events + eventThreats;
    }
}
