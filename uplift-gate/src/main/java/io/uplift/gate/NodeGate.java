package io.uplift.gate;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The node gate: the product calls {@link #admit()} before it serves anything and
 * {@link #startHeartbeat} once admitted. It refuses to let a node run whose program version is not
 * the one the database schema belongs to, whose keyset is not the one the database recorded, or
 * whose home holds an unfinished upgrade; it registers the node in the product database (table
 * uplift_nodes) and keeps its heartbeat there.
 *
 * <p>Order of {@link #admit()}: the home's journal (no database needed: a node mid-upgrade is told
 * so even while the database is down; the upgrade's own start of the services is let through, see
 * {@link UpgradeStartsServices}), then one connection that reads version, keyset and
 * maintenance, then the node id file, then the one write (the registry row). Everything before the
 * write only reads, so a refusal changes nothing. A node whose database is a read-only standby (a
 * mirror) is checked the same way and admitted read-only; its row goes to the primary, see
 * {@link StandbyRegistration}.
 */
public final class NodeGate {
    private final GateSettings settings;
    /** Set by the first admission; the heartbeat writes under this id. */
    private final AtomicReference<String> nodeId = new AtomicReference<>();
    /** A node on a read-only standby registers on the primary, if it names one (see {@link StandbyRegistration}). */
    private final StandbyRegistration standbyRegistration = new StandbyRegistration();

    private NodeGate(GateSettings settings) {
        this.settings = settings;
    }

    public static NodeGate of(GateSettings settings) {
        return new NodeGate(Objects.requireNonNull(settings, "settings"));
    }

    public GateSettings settings() {
        return settings;
    }

    /** Checks this node against the database and registers it; changes nothing when it refuses. */
    public Admission admit() throws GateRefusal {
        Path journal = settings.home().resolve(".uplift").resolve("journal.json");
        if (Files.exists(journal, LinkOption.NOFOLLOW_LINKS) && !UpgradeStartsServices.startsVersion(settings)) {
            throw Refusals.upgradeInProgress(settings);
        }
        NodeIdFile idFile = new NodeIdFile(settings.home());
        // A node-id file that is a link or holds no id is refused before the database is even asked.
        idFile.read();
        return checkAndRegister(idFile::readOrCreate, true);
    }

    /** Checks again and refreshes the heartbeat; a refusal means the node must stop serving. */
    public Admission heartbeat() throws GateRefusal {
        String id = nodeId.get();
        if (id == null) {
            throw new IllegalStateException("heartbeat() before admit(): the node gate must admit the node first");
        }
        return checkAndRegister(() -> id, false);
    }

    /**
     * Calls {@link #heartbeat()} every {@code every} on a daemon thread until closed; hands each
     * refusal to {@code onRefusal} (the product stops), and each admission's maintenance flag to {@code onAdmission}.
     * Only VERSION_MISMATCH and KEYSET_MISMATCH are refusals here, passed on when two beats in a row
     * see them; a database that cannot be reached for a while (restarting during an upgrade) is
     * logged and tried again at the next beat.
     */
    public AutoCloseable startHeartbeat(Duration every, Consumer<Admission> onAdmission, Consumer<GateRefusal> onRefusal) {
        Objects.requireNonNull(every, "every");
        Objects.requireNonNull(onAdmission, "onAdmission");
        Objects.requireNonNull(onRefusal, "onRefusal");
        if (every.isNegative() || every.toMillis() < 1) {
            throw new IllegalArgumentException("The heartbeat period must be at least 1 ms, not " + every);
        }
        if (nodeId.get() == null) {
            throw new IllegalStateException("startHeartbeat() before admit(): the node gate must admit the node first");
        }
        return HeartbeatTimer.start(this::heartbeat, every, onAdmission, onRefusal);
    }

    private interface IdSource {
        String get() throws GateRefusal;
    }

    private Admission checkAndRegister(IdSource ids, boolean atStart) throws GateRefusal {
        Connection conn;
        try {
            conn = settings.connections().open();
        } catch (SQLException e) {
            throw Refusals.unreachable(settings, e);
        } catch (RuntimeException e) {
            throw Refusals.unreachable(settings, new SQLException(e.toString(), "08001", e));
        }
        try (conn) {
            DatabaseFacts facts = DatabaseFacts.read(conn, settings.product());
            LocalKeyset keyset = LocalKeyset.read(settings.keysetFile());
            check(facts, keyset);
            String id = ids.get();
            NodeRegistration.Row row = new NodeRegistration.Row(id, settings.product(), NodeHost.name(), settings.programVersion(),
                    keyset.fingerprint(), settings.serviceAccount(), settings.role(), settings.home().toString());
            boolean standby = StandbyRegistration.isStandby(conn);
            if (standby) {
                standbyRegistration.register(settings, row, atStart);
            } else if (atStart) {
                NodeRegistration.admit(conn, row);
            } else {
                NodeRegistration.heartbeat(conn, row);
            }
            nodeId.compareAndSet(null, id);
            // A standby refuses writes as maintenance mode does: the product serves reads only.
            return new Admission(id, facts.version(), keyset.fingerprint(), facts.maintenance() || standby, standby);
        } catch (SQLException e) {
            throw Refusals.unreadable(settings, e);
        }
    }

    /** "3.0" and "3.0.0" are one version; a version the gate cannot order must be the same text. */
    private static boolean sameVersion(String database, String program) {
        OptionalInt order = Versions.compare(database, program);
        return order.isPresent() ? order.getAsInt() == 0 : database.equals(program);
    }

    /**
     * The version, then the keyset; each applies only when the database recorded it. A version the
     * database also admits (the previous release, while a rolling upgrade is mixed) passes too.
     */
    private void check(DatabaseFacts facts, LocalKeyset keyset) throws GateRefusal {
        boolean admitted = facts.alsoAdmitted().stream().anyMatch(v -> sameVersion(v, settings.programVersion()));
        if (facts.version() != null && !sameVersion(facts.version(), settings.programVersion()) && !admitted) {
            throw Refusals.versionMismatch(settings, facts.version());
        }
        DatabaseFacts.RecordedKeyset recorded = facts.keyset();
        if (recorded == null || keyset.state() == LocalKeyset.State.NOT_CONFIGURED || keyset.state() == LocalKeyset.State.UNKNOWN) {
            // Nothing recorded, no keyset in this product, or a legacy file without a fingerprint: nothing to compare.
            return;
        }
        if (keyset.state() != LocalKeyset.State.KNOWN || !keyset.fingerprint().equals(recorded.fingerprint())) {
            throw Refusals.keysetMismatch(settings, keyset, recorded);
        }
    }
}
