package io.uplift.gate;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The node gate: the product calls {@link #admit()} before it serves anything and
 * {@link #startHeartbeat} once admitted. It refuses to let a node run whose program version is not
 * the one the database schema belongs to, whose keyset is not the one the database recorded, or
 * whose home holds an unfinished upgrade; it registers the node in the product database (table
 * uplift_nodes) and keeps its heartbeat there.
 */
public final class NodeGate {
    private final GateSettings settings;

    private NodeGate(GateSettings settings) {
        this.settings = settings;
    }

    public static NodeGate of(GateSettings settings) {
        return new NodeGate(settings);
    }

    public GateSettings settings() {
        return settings;
    }

    /** Checks this node against the database and registers it; changes nothing when it refuses. */
    public Admission admit() throws GateRefusal {
        throw new UnsupportedOperationException("not built yet (issue 15)");
    }

    /** Checks again and refreshes the heartbeat; a refusal means the node must stop serving. */
    public Admission heartbeat() throws GateRefusal {
        throw new UnsupportedOperationException("not built yet (issue 15)");
    }

    /**
     * Calls {@link #heartbeat()} every {@code every} on a daemon thread until closed; hands each
     * refusal to {@code onRefusal} (the product stops), and each admission's maintenance flag to {@code onAdmission}.
     */
    public AutoCloseable startHeartbeat(Duration every, Consumer<Admission> onAdmission, Consumer<GateRefusal> onRefusal) {
        throw new UnsupportedOperationException("not built yet (issue 15)");
    }
}
