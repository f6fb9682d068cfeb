package io.uplift.loadgen;

/** A bad command line: the message names the flag and the fix; the tool exits 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
