package io.lockbox;

import io.uplift.gate.Admission;
import io.uplift.gate.GateRefusal;
import io.uplift.gate.GateSettings;
import io.uplift.gate.NodeGate;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Lockbox's calls of Uplift's node gate: admit at start (a refusal ends the start with the gate's
 * message and exit code), then a heartbeat every 10 s whose refusal stops the service.
 */
final class GateLink {
    static final Duration HEARTBEAT = Duration.ofSeconds(10);

    private final NodeGate gate;
    private final LockboxLog log;

    private GateLink(NodeGate gate, LockboxLog log) {
        this.gate = gate;
        this.log = log;
    }

    static GateLink of(NodeHome home, String version, String role, ConnectionPool pool, LockboxLog log) throws GateRefusal {
        GateSettings.Builder settings = GateSettings.builder().home(home.root()).product("lockbox").programVersion(version).role(role)
                .keysetFile(home.keyset()).connections(() -> pool.open("lockbox-gate"));
        if (home.database().primaryUrl() != null) {
            // A node on a mirror: the gate checks it on the standby, and registers it on the primary.
            settings.registry(() -> pool.openPrimary("lockbox-gate"));
        }
        return new GateLink(NodeGate.of(settings.build()), log);
    }

    Admission admit() throws GateRefusal {
        Admission a = gate.admit();
        log.info("Node gate admitted node " + a.nodeId() + " (database version " + a.databaseVersion() + ")");
        return a;
    }

    AutoCloseable startHeartbeat(Consumer<Admission> onAdmission, Consumer<GateRefusal> onRefusal) {
        return gate.startHeartbeat(HEARTBEAT, onAdmission, onRefusal);
    }
}
