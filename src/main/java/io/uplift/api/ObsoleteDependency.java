package io.uplift.api;

/** Something an upgrade leaves behind for the operator to remove once satisfied (a release declares it). */
public record ObsoleteDependency(String id, String description) {}
