package io.uplift.loadgen;

/**
 * One request of the run: what it did, when it was sent and answered (epoch milliseconds), how it
 * ended, and for a successful health answer the version that answered (null otherwise).
 * The windows are computed on {@code sentAt}: an outcome tells how the service treated a request
 * sent at that instant, whatever the time it took to answer.
 *
 * @param node the base URL of the node the request went to (null for a skipped slot, which went nowhere)
 */
public record Outcome(Operation operation, long sentAt, long doneAt, Cause cause, String version, String node) {

    public Outcome {
        if (operation == null || cause == null) {
            throw new IllegalArgumentException("an outcome needs an operation and a cause");
        }
        if (doneAt < sentAt) {
            throw new IllegalArgumentException("answered at " + doneAt + " before sent at " + sentAt);
        }
    }

    /** An outcome whose node does not matter (a single-node run, a skipped slot). */
    public Outcome(Operation operation, long sentAt, long doneAt, Cause cause, String version) {
        this(operation, sentAt, doneAt, cause, version, null);
    }

    public static Outcome of(Operation operation, long sentAt, long doneAt, Cause cause) {
        return new Outcome(operation, sentAt, doneAt, cause, null, null);
    }

    public boolean succeeded() {
        return cause == Cause.OK;
    }

    public boolean wasSent() {
        return cause != Cause.SKIPPED_BUSY;
    }

    public long latencyMillis() {
        return doneAt - sentAt;
    }
}
