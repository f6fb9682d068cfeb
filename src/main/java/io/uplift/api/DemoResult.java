package io.uplift.api;

import java.time.Duration;

/** The demo installation that was made, and how long each part took. */
public record DemoResult(String home, String version, int postgresMajor, String databaseUrl, GenerationResult data,
        Duration serverSetup, Duration total) {}
