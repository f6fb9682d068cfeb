package io.uplift.api;

import io.uplift.api.PendingTask;

/** A post-upgrade task registered by an upgrade and not yet done. */
public record PendingTask(String release, String id, String title, String mode) {}
