package io.lockbox;

/** An answer other than success, with its HTTP status and the message for the caller. */
final class ApiError extends Exception {
    private static final long serialVersionUID = 1L;
    static final String READ_ONLY = "An upgrade is under way: Lockbox is read-only until it ends. Retry later.";

    private final int status;

    ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError readOnly() {
        return new ApiError(503, READ_ONLY);
    }
}
