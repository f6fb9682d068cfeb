package io.uplift.console;

/** A request the console refuses (no session, bad CSRF token, read-only, locked sign-in): the status and what to do. */
final class Refusal extends RuntimeException {
    private final int status;

    Refusal(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
