package io.uplift.api;

/** A post-upgrade task done now ('uplift tasks run', 'tasks done'), or the reason it was not. */
public record TaskOutcome(String release, String id, String title, boolean done, String detail) {}
