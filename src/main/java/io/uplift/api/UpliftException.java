package io.uplift.api;

/**
 * The one exception Uplift throws on purpose. Its message is written for the operator: what was
 * observed, and what to do about it. Its {@link ErrorCode} decides the exit code.
 */
public class UpliftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public UpliftException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public UpliftException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
