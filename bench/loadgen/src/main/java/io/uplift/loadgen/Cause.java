package io.uplift.loadgen;

/** How one request ended. Everything but {@link #OK}, {@link #MAINTENANCE} and {@link #SKIPPED_BUSY}
 *  is a failure; the report groups failures by these causes. */
public enum Cause {
    OK("succeeded"),
    /** 503 with Retry-After: the write refusal Lockbox promises while an upgrade is under way. */
    MAINTENANCE("refused for maintenance (503)"),
    CONNECTION_REFUSED("connection refused"),
    /** The connection broke mid-request (reset, closed, EOF): typically the old process stopping. */
    CONNECTION_CLOSED("connection closed or reset"),
    TIMEOUT("timeout"),
    SERVER_ERROR("5xx other than maintenance"),
    UNAUTHORIZED("401 unauthorized"),
    NOT_FOUND("404 for an id that exists"),
    UNEXPECTED_STATUS("unexpected status"),
    /** A 2xx whose body is not what the contract says (missing id, wrong content of a secret). */
    UNEXPECTED_BODY("unexpected body"),
    OTHER_IO_ERROR("other I/O error"),
    /**
     * --balance: this node refused the request before acting on it (connection refused, 503; a read's
     * broken connection or timeout), so it went to the next node, as a load balancer does. Counts for
     * the node's own windows (its drain shows), not as a failure of the run: the request's final outcome does.
     */
    REROUTED("refused by the node, sent to the next (--balance)"),
    /** Not a request: the schedule's slot came while every worker was busy, so nothing was sent. */
    SKIPPED_BUSY("skipped, all workers busy");

    private final String label;

    Cause(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean isFailure() {
        return this != OK && this != MAINTENANCE && this != SKIPPED_BUSY && this != REROUTED;
    }
}
