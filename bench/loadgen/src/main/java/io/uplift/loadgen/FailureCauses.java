package io.uplift.loadgen;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;

/** Names the cause of an unsuccessful exchange, from its status or from the exception the HTTP client
 *  threw. Pure, so the mapping is tested without a server. */
public final class FailureCauses {
    private FailureCauses() {
    }

    /** The cause of an answer whose status is not the one the contract gives for success. */
    public static Cause ofStatus(int status, boolean hasRetryAfter) {
        if (status == 503 && hasRetryAfter) {
            return Cause.MAINTENANCE;
        }
        if (status == 401) {
            return Cause.UNAUTHORIZED;
        }
        if (status == 404) {
            return Cause.NOT_FOUND;
        }
        if (status >= 500 && status <= 599) {
            return Cause.SERVER_ERROR;
        }
        return Cause.UNEXPECTED_STATUS;
    }

    /** The cause of an exchange that got no answer. java.net.http wraps the socket's exception, so
     *  the whole chain is searched. */
    public static Cause ofException(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof HttpTimeoutException) {
                return Cause.TIMEOUT;
            }
            if (t instanceof ConnectException) {
                return Cause.CONNECTION_REFUSED;
            }
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("reset") || message.contains("closed") || message.contains("eof")
                    || message.contains("no bytes") || message.contains("broken pipe")) {
                return Cause.CONNECTION_CLOSED;
            }
        }
        return Cause.OTHER_IO_ERROR;
    }
}
