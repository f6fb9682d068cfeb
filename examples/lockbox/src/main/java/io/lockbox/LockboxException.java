package io.lockbox;

/** A failure Lockbox reports to the operator and exits with: the message says what to fix. */
final class LockboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Exit codes of 'lockbox serve' and 'lockbox token create' (the node gate's own are 20 to 24). */
    static final int USAGE = 2;
    static final int CONFIGURATION = 10;
    static final int DATABASE = 11;
    static final int KEYSET = 12;
    static final int PORT_IN_USE = 13;

    private final int exitCode;

    LockboxException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    LockboxException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
