package io.uplift.api;

import java.nio.file.Path;

/**
 * The demo's Lockbox once it serves: its HTTP API and the file (mode 600, beside the home, never
 * inside it) holding an app token the load generator authenticates with.
 */
public record DemoService(String url, Path tokenFile) {}
