package io.uplift.plan;

/** A planned move of the product database to a server of another PostgreSQL major version. */
public record DatabaseMove(int fromMajor, int toMajor) {}
