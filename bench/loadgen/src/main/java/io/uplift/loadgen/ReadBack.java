package io.uplift.loadgen;

/** What reading one secret back by id gave. */
public sealed interface ReadBack {

    record Found(String name, String value) implements ReadBack {
    }

    /** 404: the service answered, and the secret is not there. */
    record Missing() implements ReadBack {
    }

    /** No answer that says anything about the secret (refused, timeout, 5xx, 503...): try again. */
    record Unreachable(Cause cause) implements ReadBack {
    }
}
