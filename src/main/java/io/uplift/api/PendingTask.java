package io.uplift.api;

/** A post-upgrade task registered by an upgrade and not yet done. */
public record PendingTask(String release, String id, String title, String mode) {}
