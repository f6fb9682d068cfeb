package io.uplift.api;

/** One obsolete dependency 'uplift cleanup' looked at: removed now, or left with what the operator should do. */
public record CleanupItem(String id, String description, boolean removed, String detail) {}
