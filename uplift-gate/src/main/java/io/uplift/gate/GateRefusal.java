package io.uplift.gate;

/**
 * The gate's refusal to let this node run: what was observed, on each side, and the exact remedy.
 * {@link #getMessage()} is the text to print; {@link #exitCode()} the documented code to exit with.
 */
public final class GateRefusal extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why, with the exit code the product should use (documented in uplift-gate/README.md). */
    public enum Reason {
        VERSION_MISMATCH(20), KEYSET_MISMATCH(21), UPGRADE_IN_PROGRESS(22), DATABASE_UNREACHABLE(23), SETTINGS_INVALID(24);

        private final int exitCode;

        Reason(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Reason reason;

    public GateRefusal(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public GateRefusal(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public int exitCode() {
        return reason.exitCode();
    }
}
