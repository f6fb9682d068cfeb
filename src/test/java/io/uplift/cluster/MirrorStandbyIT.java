package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.KeyEnvironment;
import io.uplift.db.Jdbc;
import io.uplift.db.OsUser;
import io.uplift.db.PgServer;
import io.uplift.gate.Admission;
import io.uplift.gate.ConnectionSource;
import io.uplift.gate.GateRefusal;
import io.uplift.gate.GateSettings;
import io.uplift.gate.NodeGate;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.WritableDatabase;
import io.uplift.keys.KeysetEnvelope;
import io.uplift.keys.KeysetRecord;
import io.uplift.keys.KeysetStore;
import io.uplift.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Database mirroring as PostgreSQL does it: a streaming standby made from a base backup of the
 * primary server (standby.signal and primary_conninfo, as {@code pg_basebackup -R} writes them),
 * started read-only and streaming the primary's WAL. A node whose
 * node-local database settings point at the standby (the document's "secondary web server pointing
 * at the secondary database") goes through the real node gate: its checks hold on the standby, it is
 * admitted read-only instead of being refused on the registry write, registers on the primary when
 * it names it, and after the primary's database moves to a new release (replayed by the standby) a
 * node left at the old release is refused on the mirror with the version message.
 *
 * <p>Both servers are PostgreSQL 16, run as the postgres OS user, on loopback. The product database
 * holds what Uplift records in every installation (uplift_installation, uplift_keyset), written on the
 * primary as an upgrade would write them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MirrorStandbyIT {
    private static final Duration REPLAY = Duration.ofSeconds(60);

    private TestPostgres.Server primaryServer;
    private PgServer standby;
    private String dbName;
    private String role;
    private String password;
    private Path node;
    private String fingerprint;

    @BeforeAll
    void primaryAndStandby() throws Exception {
        primaryServer = TestPostgres.startEphemeral(16);
        TestPostgres.Database db = primaryServer.newDatabase();
        dbName = db.name();
        role = "app_" + UUID.randomUUID().toString().substring(0, 8);
        password = UUID.randomUUID().toString();
        try (Connection c = Jdbc.connect(db.jdbcUrl(), db.user(), db.password()); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            st.execute("ALTER DATABASE " + dbName + " OWNER TO " + role);
        }
        node = TestPostgres.newTraversableTempDir().resolve("node-on-mirror");
        Files.createDirectories(node.resolve("config"));
        KeysetStore store = KeysetStore.of(node.resolve("config/keyset.json"));
        store.create(store.defaultKeyFile(), KeyEnvironment.system());
        fingerprint = KeysetEnvelope.fingerprintOf(node.resolve("config/keyset.json")).orElseThrow();
        try (Connection c = onPrimary(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE public.uplift_installation (product text PRIMARY KEY, version text NOT NULL,"
                    + " updated_at timestamptz NOT NULL DEFAULT now())");
            st.execute("INSERT INTO public.uplift_installation (product, version) VALUES ('lockbox', '2.1')");
            st.execute("CREATE TABLE public.secrets (id serial PRIMARY KEY, name text NOT NULL)");
            st.execute("INSERT INTO public.secrets (name) VALUES ('written on the primary')");
            KeysetRecord.write(c, fingerprint, 1, node);
        }
        standby = startStandbyOf(primaryServer);
    }

    /**
     * A base backup, then the standby started from it. pg_basebackup would do, but the one on this
     * machine belongs to the client tools (PostgreSQL 15) and does not back up a newer server, and the
     * embedded server binaries bring none; so the base backup is the other documented way: a copy of
     * the primary's data folder taken while it is cleanly stopped. Then what {@code -R} writes:
     * standby.signal, and primary_conninfo in postgresql.auto.conf (owner-only, as the server's own files).
     */
    private static PgServer startStandbyOf(TestPostgres.Server primary) throws Exception {
        Path data = TestPostgres.newTraversableTempDir().resolve("standby");
        primary.server().stop();
        run(List.of("cp", "-a", primary.server().dataDir().toString(), data.toString()));
        primary.server().start(); // port 0: a new free port, which the conninfo below names
        Files.writeString(data.resolve("postgresql.auto.conf"), "primary_conninfo = 'host=127.0.0.1 port=" + primary.server().port()
                + " user=" + primary.superuser().user() + " password=" + primary.superuser().password() + " application_name=mirror'\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.createFile(data.resolve("standby.signal"));
        OsUser serverUser = primary.server().user();
        if (serverUser.switchesUser()) {
            run(List.of("chown", serverUser.name(), data.resolve("standby.signal").toString()));
        }
        PgServer server = new PgServer(primary.server().binaries(), data, 0, serverUser);
        server.stopOnJvmExit();
        server.start();
        return server;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("%s finishes", command.get(0)).isTrue();
        assertThat(p.exitValue()).as(command + ": " + out).isZero();
    }

    private Connection onPrimary() throws SQLException {
        return DriverManager.getConnection(primaryServer.server().jdbcUrl(dbName), role, password);
    }

    private Connection onStandby() throws SQLException {
        return DriverManager.getConnection(standby.jdbcUrl(dbName), role, password);
    }

    private GateSettings nodeOnStandby(String programVersion, Path home, ConnectionSource registry) throws GateRefusal {
        GateSettings.Builder b = GateSettings.builder().home(home).product("lockbox").programVersion(programVersion)
                .connections(this::onStandby);
        return (registry == null ? b : b.registry(registry)).build();
    }

    @Test
    @Order(1)
    void theStandbyReplaysThePrimaryAndRefusesWrites() throws Exception {
        assertThat(scalar(this::onStandbyUnchecked, "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
        assertThat(scalar(this::onStandbyUnchecked, "SELECT name FROM public.secrets")).isEqualTo("written on the primary");
        try (Connection c = onStandby(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.execute("INSERT INTO public.secrets (name) VALUES ('on the mirror')"))
                    .isInstanceOf(SQLException.class).extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25006");
        }
    }

    @Test
    @Order(2)
    void aNodeOnTheStandbyIsCheckedAndAdmittedReadOnlyWithoutARegistryWrite() throws Exception {
        NodeGate gate = NodeGate.of(nodeOnStandby("2.1", node, null));

        Admission a = gate.admit();

        assertThat(a.standby()).isTrue();
        assertThat(a.maintenance()).as("a product serves reads only, as in maintenance mode").isTrue();
        assertThat(a.databaseVersion()).isEqualTo("2.1");
        assertThat(a.keysetFingerprint()).isEqualTo(fingerprint);
        assertThat(scalar(this::onPrimaryUnchecked, "SELECT to_regclass('public.uplift_nodes')::text"))
                .as("no registry named: nothing written anywhere").isNull();
        assertThat(gate.heartbeat().standby()).as("the heartbeat too reads only").isTrue();
    }

    @Test
    @Order(3)
    void withThePrimaryNamedTheNodeRegistersThereAndTheStandbyReplaysItsRow() throws Exception {
        NodeGate gate = NodeGate.of(nodeOnStandby("2.1", node, this::onPrimary));

        Admission a = gate.admit();

        assertThat(a.standby()).isTrue();
        String row = "SELECT program_version || ' ' || coalesce(keyset_fingerprint, '-') FROM public.uplift_nodes WHERE node_id = '"
                + a.nodeId() + "'";
        assertThat(scalar(this::onPrimaryUnchecked, row)).isEqualTo("2.1 " + fingerprint);
        awaitOnStandby(row, "2.1 " + fingerprint);
        String beat = "SELECT last_heartbeat > started_at FROM public.uplift_nodes WHERE node_id = '" + a.nodeId() + "'";
        gate.heartbeat();
        assertThat(scalar(this::onPrimaryUnchecked, beat)).as("the heartbeat is written on the primary").isEqualTo("t");
    }

    @Test
    @Order(4)
    void anotherKeysetIsRefusedOnTheStandbyAsOnThePrimary() throws Exception {
        Path stranger = TestPostgres.newTraversableTempDir().resolve("stranger");
        Files.createDirectories(stranger.resolve("config"));
        KeysetStore store = KeysetStore.of(stranger.resolve("config/keyset.json"));
        store.create(store.defaultKeyFile(), KeyEnvironment.system());

        assertThatThrownBy(() -> NodeGate.of(nodeOnStandby("2.1", stranger, null)).admit()).isInstanceOf(GateRefusal.class)
                .extracting(e -> ((GateRefusal) e).reason()).isEqualTo(GateRefusal.Reason.KEYSET_MISMATCH);
    }

    @Test
    @Order(4)
    void theClusterRowsOfANodeOnTheMirrorGoToItsPrimaryAndWithoutOneTheFixIsNamed() throws Exception {
        String mirrorUrl = standby.jdbcUrl(dbName);
        String primaryUrl = primaryServer.server().jdbcUrl(dbName);
        DatabaseSettings onMirror = new DatabaseSettings(mirrorUrl, role, password, primaryUrl);
        try (Connection c = WritableDatabase.connect(onMirror); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("connected to the primary, not the mirror").isFalse();
        }
        assertThat(WritableDatabase.of(onMirror).url()).isEqualTo(primaryUrl);
        // A node on the primary itself keeps its own database, whatever primary.url says (after a failover, say).
        DatabaseSettings onPrimary = new DatabaseSettings(primaryUrl, role, password, "jdbc:postgresql://127.0.0.1:1/gone");
        assertThat(WritableDatabase.of(onPrimary)).isEqualTo(onPrimary);

        assertThatThrownBy(() -> WritableDatabase.connect(new DatabaseSettings(mirrorUrl, role, password)))
                .isInstanceOfSatisfying(io.uplift.api.UpliftException.class,
                        e -> assertThat(e.code()).isEqualTo(io.uplift.api.ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining(mirrorUrl).hasMessageContaining("read-only mirror")
                .hasMessageContaining("primary.url=jdbc:postgresql://HOST:PORT/DB").hasMessageNotContaining(password);
    }

    @Test
    @Order(5)
    void afterThePrimaryMovesToANewReleaseTheMirrorRefusesANodeLeftBehind() throws Exception {
        NodeGate old = NodeGate.of(nodeOnStandby("2.1", node, null));
        old.admit();
        // What an upgrade of the primary writes: a migration, then the release, in one transaction.
        try (Connection c = onPrimary(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("ALTER TABLE public.secrets ADD COLUMN rotated_at timestamptz");
            st.execute("UPDATE public.uplift_installation SET version = '3.0', updated_at = now() WHERE product = 'lockbox'");
            c.commit();
        }
        awaitOnStandby("SELECT version FROM public.uplift_installation WHERE product = 'lockbox'", "3.0");
        assertThat(scalar(this::onStandbyUnchecked, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'secrets'"
                + " AND column_name = 'rotated_at'")).as("the standby replayed the new schema").isEqualTo("1");

        assertThatThrownBy(old::heartbeat).isInstanceOf(GateRefusal.class)
                .satisfies(e -> assertThat(((GateRefusal) e).reason()).isEqualTo(GateRefusal.Reason.VERSION_MISMATCH))
                .hasMessageContaining("3.0");
        assertThatThrownBy(() -> NodeGate.of(nodeOnStandby("2.1", node, null)).admit()).isInstanceOf(GateRefusal.class)
                .hasMessageContaining("3.0");
        Admission upgraded = NodeGate.of(nodeOnStandby("3.0", node, null)).admit();
        assertThat(upgraded.standby()).isTrue();
        assertThat(upgraded.databaseVersion()).isEqualTo("3.0");
    }

    private Connection onStandbyUnchecked() {
        try {
            return onStandby();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection onPrimaryUnchecked() {
        try {
            return onPrimary();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls the standby until {@code sql} gives {@code expected}: replay is asynchronous. */
    private void awaitOnStandby(String sql, String expected) throws Exception {
        Instant deadline = Instant.now().plus(REPLAY);
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            last = scalar(this::onStandbyUnchecked, sql);
            if (Objects.equals(last, expected)) {
                return;
            }
            try (Connection c = onStandby(); Statement st = c.createStatement()) {
                st.execute("SELECT pg_sleep(0.05)"); // waits on the server, between two reads of its replay
            }
        }
        assertThat(last).as("the standby replays '" + sql + "' within " + REPLAY).isEqualTo(expected);
    }

    private static String scalar(Supplier<Connection> connection, String sql) throws SQLException {
        try (Connection c = connection.get(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
