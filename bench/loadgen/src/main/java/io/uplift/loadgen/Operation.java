package io.uplift.loadgen;

/** What one request of the mix does. Health is neither a read nor a write of the product's data: it
 *  only tells which version answers, so it stays out of the read-outage figures. */
public enum Operation {
    READ_SECRET(Kind.READ),
    LIST_SECRETS(Kind.READ),
    LIST_EVENTS(Kind.READ),
    LIST_THREATS(Kind.READ),
    HEALTH(Kind.PROBE),
    WRITE_SECRET(Kind.WRITE),
    WRITE_EVENT(Kind.WRITE);

    enum Kind { READ, WRITE, PROBE }

    private final Kind kind;

    Operation(Kind kind) {
        this.kind = kind;
    }

    public boolean isRead() {
        return kind == Kind.READ;
    }

    public boolean isWrite() {
        return kind == Kind.WRITE;
    }
}
