package io.uplift.loadgen;

/** Reads one secret by id; the HTTP client in the tool, a map in the tests. */
@FunctionalInterface
public interface SecretReader {
    ReadBack read(long id);
}
