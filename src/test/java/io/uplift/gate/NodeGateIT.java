package io.uplift.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.Uplift;
import io.uplift.api.NodeList;
import io.uplift.cli.UpliftCommand;
import io.uplift.install.InstalledVersionRecord;
import io.uplift.keys.KeysetRecord;
import io.uplift.testsupport.TestPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The node gate (issue 15, item 2) against a real PostgreSQL 16: it refuses a version or keyset
 * mismatch and a home mid-upgrade without writing anything, registers an admitted node (also in
 * maintenance mode, when new sessions are read-only), moves its heartbeat, and Uplift's 'nodes' and
 * 'status' list what it registered.
 */
class NodeGateIT {
    private static final String FP = "3f1c0b9e27aa" + "a".repeat(52);
    private static final String OTHER_FP = "9d02e4c1b7f5" + "b".repeat(52);

    private static GateHome homeWithDatabaseAt(String version, String localFingerprint, String recordedFingerprint) throws SQLException {
        return homeWithDatabaseAt(TestPostgres.v16(), version, localFingerprint, recordedFingerprint);
    }

    private static GateHome homeWithDatabaseAt(TestPostgres.Server server, String version, String localFingerprint, String recordedFingerprint)
            throws SQLException {
        GateHome h = GateHome.create(server.newDatabase(), version, localFingerprint);
        try (Connection conn = h.connect()) {
            InstalledVersionRecord.write(conn, "lockbox", version);
            if (recordedFingerprint != null) {
                KeysetRecord.write(conn, recordedFingerprint, 1, h.home());
            }
        }
        return h;
    }

    @Test
    void aTwoOneNodeAgainstAThreeZeroDatabaseIsRefusedWithTheUpgradeCommandAndNothingChanges() throws Exception {
        GateHome upgraded = homeWithDatabaseAt("3.0", FP, FP);
        upgraded.gate("3.0").admit();
        List<List<String>> before = snapshot(upgraded);
        GateHome stale = GateHome.create(upgraded.db(), "2.1", FP);

        assertThatThrownBy(() -> stale.gate("2.1").admit()).isInstanceOfSatisfying(GateRefusal.class, r -> {
            assertThat(r.reason()).isEqualTo(GateRefusal.Reason.VERSION_MISMATCH);
            assertThat(r.exitCode()).isEqualTo(20);
            assertThat(r.getMessage()).contains("This node runs Lockbox 2.1 but the database belongs to 3.0")
                    .contains("uplift upgrade --to 3.0 --home " + stale.home());
        });
        assertThat(snapshot(upgraded)).as("uplift_nodes unchanged, times included").isEqualTo(before).hasSize(1);
        assertThat(stale.nodeIdFile()).doesNotExist();
    }

    @Test
    void aRefusalOnAFreshDatabaseLeavesNoRegistryBehind() throws Exception {
        GateHome h = homeWithDatabaseAt("3.0", FP, FP);
        assertThatThrownBy(() -> h.gate("2.1").admit()).isInstanceOf(GateRefusal.class);
        assertThat(tableExists(h, "uplift_nodes")).isFalse();
        assertThat(h.nodeIdFile()).doesNotExist();
    }

    @Test
    void aKeysetFromAnotherInstallationIsRefusedNamingBothFingerprints() throws Exception {
        GateHome h = homeWithDatabaseAt("3.0", OTHER_FP, FP);
        Path elsewhere = Path.of("/srv/other-lockbox");
        try (Connection conn = h.connect(); Statement st = conn.createStatement()) {
            st.execute("UPDATE uplift_keyset SET node = 'app-1', home = '" + elsewhere + "'");
        }

        assertThatThrownBy(() -> h.gate("3.0").admit()).isInstanceOfSatisfying(GateRefusal.class, r -> {
            assertThat(r.reason()).isEqualTo(GateRefusal.Reason.KEYSET_MISMATCH);
            assertThat(r.exitCode()).isEqualTo(21);
            assertThat(r.getMessage()).contains("9d02e4c1b7f5").contains("3f1c0b9e27aa").contains(h.home().resolve("config/keyset.json").toString())
                    .contains("node app-1").contains(elsewhere.resolve("config/keyset.json").toString()).contains("master key");
        });
        assertThat(tableExists(h, "uplift_nodes")).isFalse();
        assertThat(h.nodeIdFile()).doesNotExist();
    }

    @Test
    void aMissingKeysetFileIsRefusedWhenTheDatabaseRecordedOne() throws Exception {
        GateHome h = homeWithDatabaseAt("3.0", null, FP);
        assertThatThrownBy(() -> h.gate("3.0").admit()).isInstanceOfSatisfying(GateRefusal.class, r -> {
            assertThat(r.reason()).isEqualTo(GateRefusal.Reason.KEYSET_MISMATCH);
            assertThat(r.getMessage()).contains("does not exist").contains("3f1c0b9e27aa");
        });
    }

    @Test
    void aLegacyKeysetWithoutFingerprintIsAdmittedAsUnknown() throws Exception {
        GateHome h = homeWithDatabaseAt("3.0", null, FP);
        Files.writeString(h.home().resolve("config/keyset.json"), "{\"primaryKeyId\":1,\"key\":[{\"keyId\":1,\"status\":\"ENABLED\"}]}");
        Admission a = h.gate("3.0").admit();
        assertThat(a.keysetFingerprint()).isNull();
        assertThat(nodeRows(h)).singleElement().satisfies(row -> assertThat(row.get(4)).isNull());
    }

    @Test
    void aHomeMidUpgradeIsRefusedWithResumeAndRollback() throws Exception {
        GateHome h = homeWithDatabaseAt("3.0", FP, FP);
        Files.writeString(h.home().resolve(".uplift/journal.json"), "{}");
        assertThatThrownBy(() -> h.gate("3.0").admit()).isInstanceOfSatisfying(GateRefusal.class, r -> {
            assertThat(r.reason()).isEqualTo(GateRefusal.Reason.UPGRADE_IN_PROGRESS);
            assertThat(r.exitCode()).isEqualTo(22);
            assertThat(r.getMessage()).contains("uplift resume --home " + h.home()).contains("uplift rollback --home " + h.home());
        });
        assertThat(tableExists(h, "uplift_nodes")).isFalse();
        assertThat(h.nodeIdFile()).doesNotExist();
    }

    @Test
    void anUnreachableDatabaseIsRefusedWithItsError() throws Exception {
        GateHome h = GateHome.create(TestPostgres.v16().newDatabase(), "3.0", FP);
        NodeGate gate = NodeGate.of(GateSettings.builder().home(h.home()).product("lockbox").programVersion("3.0")
                .connections(() -> java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:1/lockbox", "lockbox", "x")).build());
        assertThatThrownBy(gate::admit).isInstanceOfSatisfying(GateRefusal.class, r -> {
            assertThat(r.exitCode()).isEqualTo(23);
            assertThat(r.getMessage()).contains("cannot reach").contains("database settings");
        });
        assertThat(h.nodeIdFile()).doesNotExist();
    }

    @Test
    void aMatchingNodeIsRegisteredAndItsHeartbeatMovesOnTheDatabaseClock() throws Exception {
        GateHome h = homeWithDatabaseAt("3.0", FP, FP);
        NodeGate gate = h.gate("3.0");

        Admission a = gate.admit();

        assertThat(a.nodeId()).matches("node-[0-9a-f]{8}");
        assertThat(Files.readString(h.nodeIdFile()).trim()).isEqualTo(a.nodeId());
        assertThat(a.databaseVersion()).isEqualTo("3.0");
        assertThat(a.keysetFingerprint()).isEqualTo(FP);
        assertThat(a.maintenance()).isFalse();
        assertThat(nodeRows(h)).containsExactly(List.of(a.nodeId(), "lockbox", InetAddress.getLocalHost().getHostName(), "3.0", FP,
                "lockbox-svc", "worker", h.home().toString()));

        try (Connection conn = h.connect(); Statement st = conn.createStatement()) {
            st.execute("UPDATE uplift_nodes SET last_heartbeat = now() - interval '1 hour', started_at = now() - interval '2 hours'");
        }
        Timestamp old = timestamp(h, "last_heartbeat");
        Timestamp started = timestamp(h, "started_at");
        assertThat(gate.heartbeat().nodeId()).isEqualTo(a.nodeId());
        assertThat(timestamp(h, "last_heartbeat")).isAfter(old);
        assertThat(timestamp(h, "started_at")).as("a heartbeat keeps the start time").isEqualTo(started);

        assertThat(h.gate("3.0").admit().nodeId()).as("the id survives a restart").isEqualTo(a.nodeId());
        assertThat(nodeRows(h)).hasSize(1);
    }

    @Test
    void onPostgresTenTheDemosFirstServerTheNodeIsRegisteredToo() throws Exception {
        GateHome h = homeWithDatabaseAt(TestPostgres.v10(), "1.0", FP, FP);
        NodeGate gate = h.gate("1.0");
        Admission a = gate.admit();
        assertThat(nodeRows(h)).singleElement().satisfies(row -> assertThat(row.get(0)).isEqualTo(a.nodeId()));
        assertThat(gate.heartbeat().nodeId()).isEqualTo(a.nodeId());
    }

    @Test
    void whileARollingUpgradeAdmitsThePreviousReleaseItsNodesPassAndAfterFinalizeTheyAreRefused() throws Exception {
        GateHome h = homeWithDatabaseAt("2.1", FP, FP);
        NodeGate old = h.gate("2.1");
        old.admit();
        try (Connection conn = h.connect()) {
            conn.setAutoCommit(false);
            io.uplift.install.AdmittedVersions.admit(conn, "lockbox", "2.1", "rolling upgrade to 2.2");
            InstalledVersionRecord.write(conn, "lockbox", "2.2");
            conn.commit();
        }
        assertThat(old.heartbeat().databaseVersion()).as("the running 2.1 node beats on").isEqualTo("2.2");
        GateHome restarted = GateHome.create(h.db(), "2.1", FP);
        assertThat(restarted.gate("2.1").admit().nodeId()).as("a 2.1 node that restarts comes back").isNotBlank();
        assertThatThrownBy(() -> GateHome.create(h.db(), "2.0", FP).gate("2.0").admit()).as("only the admitted version")
                .isInstanceOfSatisfying(GateRefusal.class, r -> assertThat(r.reason()).isEqualTo(GateRefusal.Reason.VERSION_MISMATCH));

        try (Connection conn = h.connect()) {
            assertThat(io.uplift.install.AdmittedVersions.withdrawAll(conn, "lockbox")).isTrue();
        }
        assertThatThrownBy(old::heartbeat).as("after finalize").isInstanceOfSatisfying(GateRefusal.class,
                r -> assertThat(r.reason()).isEqualTo(GateRefusal.Reason.VERSION_MISMATCH));
    }

    @Test
    void aHeartbeatAfterTheDatabaseMovedOnRefusesTheNode() throws Exception {
        GateHome h = homeWithDatabaseAt("2.1", FP, FP);
        NodeGate gate = h.gate("2.1");
        gate.admit();
        try (Connection conn = h.connect()) {
            InstalledVersionRecord.write(conn, "lockbox", "3.0");
        }
        assertThatThrownBy(gate::heartbeat).isInstanceOfSatisfying(GateRefusal.class,
                r -> assertThat(r.reason()).isEqualTo(GateRefusal.Reason.VERSION_MISMATCH));
    }

    @Test
    void inMaintenanceModeTheNodeIsAdmittedForReadsAndStillRegistered() throws Exception {
        GateHome h = homeWithDatabaseAt("3.0", FP, FP);
        try (Connection conn = h.connect(); Statement st = conn.createStatement()) {
            st.execute("CREATE SCHEMA uplift_maintenance");
            st.execute("ALTER DATABASE " + h.db().name() + " SET default_transaction_read_only = on");
        }
        try (Connection conn = h.connect(); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SHOW default_transaction_read_only")) {
            rs.next();
            assertThat(rs.getString(1)).as("new sessions are read-only, as in a real maintenance").isEqualTo("on");
        }

        Admission a = h.gate("3.0").admit();

        assertThat(a.maintenance()).isTrue();
        assertThat(nodeRows(h)).singleElement().satisfies(row -> assertThat(row.get(0)).isEqualTo(a.nodeId()));
    }

    @Test
    void aConnectionHandedOverWithoutAutoCommitStillRegistersInMaintenance() throws Exception {
        GateHome h = homeWithDatabaseAt("3.0", FP, FP);
        try (Connection conn = h.connect(); Statement st = conn.createStatement()) {
            st.execute("CREATE SCHEMA uplift_maintenance");
            st.execute("ALTER DATABASE " + h.db().name() + " SET default_transaction_read_only = on");
        }
        NodeGate gate = NodeGate.of(GateSettings.builder().home(h.home()).product("lockbox").programVersion("3.0").connections(() -> {
            Connection conn = h.connect();
            conn.setAutoCommit(false);
            return conn;
        }).build());

        Admission a = gate.admit();
        assertThat(a.maintenance()).isTrue();
        assertThat(gate.heartbeat().nodeId()).isEqualTo(a.nodeId());
        assertThat(nodeRows(h)).hasSize(1);
    }

    @Test
    void aNodeIdFileThatIsALinkIsRefusedAndNotFollowed() throws Exception {
        GateHome h = homeWithDatabaseAt("3.0", FP, FP);
        Path target = h.home().resolve("elsewhere");
        Files.createSymbolicLink(h.nodeIdFile(), target);
        assertThatThrownBy(() -> h.gate("3.0").admit()).isInstanceOfSatisfying(GateRefusal.class, r -> {
            assertThat(r.exitCode()).isEqualTo(24);
            assertThat(r.getMessage()).contains("symbolic link");
        });
        assertThat(target).doesNotExist();
        assertThat(tableExists(h, "uplift_nodes")).isFalse();
    }

    @Test
    void upliftNodesAndStatusListTheRegisteredNode() throws Exception {
        GateHome h = homeWithDatabaseAt("3.0", FP, FP);
        Admission a = h.gate("3.0").admit();

        NodeList list = Uplift.configure().home(h.home()).load().nodes();
        assertThat(list.nodes()).singleElement().satisfies(n -> {
            assertThat(n.nodeId()).isEqualTo(a.nodeId());
            assertThat(n.role()).isEqualTo("worker");
            assertThat(n.programVersion()).isEqualTo("3.0");
            assertThat(n.keysetFingerprint()).isEqualTo(FP);
            assertThat(n.serviceAccount()).isEqualTo("lockbox-svc");
            assertThat(n.home()).isEqualTo(h.home().toString());
            assertThat(n.heartbeatAgeSeconds()).isBetween(0L, 60L);
            assertThat(n.startedAt()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        });

        String[] out = cli("nodes", "--json", "--home", h.home().toString());
        assertThat(out[0]).as(out[1]).isEqualTo("0");
        JsonNode json = new ObjectMapper().readTree(out[1]);
        assertThat(json.get("home").asText()).isEqualTo(h.home().toString());
        assertThat(json.get("nodes")).hasSize(1);
        assertThat(json.get("nodes").get(0).get("nodeId").asText()).isEqualTo(a.nodeId());
        assertThat(json.get("nodes").get(0).get("heartbeatAgeSeconds").isIntegralNumber()).isTrue();

        String[] table = cli("nodes", "--home", h.home().toString());
        assertThat(table[1]).contains(a.nodeId()).contains("worker").contains("3f1c0b9e27aa").doesNotContain(FP);

        String[] status = cli("status", "--json", "--home", h.home().toString());
        assertThat(status[0]).as(status[1]).isEqualTo("0");
        assertThat(new ObjectMapper().readTree(status[1]).get("nodes").get(0).get("nodeId").asText()).isEqualTo(a.nodeId());
        assertThat(cli("status", "--home", h.home().toString())[1]).contains("Nodes          1 registered").contains(a.nodeId());
    }

    @Test
    void withoutARegistryUpliftNodesListsNone() throws Exception {
        GateHome h = homeWithDatabaseAt("3.0", FP, FP);
        assertThat(Uplift.configure().home(h.home()).load().nodes().nodes()).isEmpty();
        assertThat(cli("nodes", "--home", h.home().toString())[1]).contains("No node");
    }

    /** exit code, stdout (stderr appended on failure, for the assertion message). */
    static String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = UpliftCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new String[] {String.valueOf(exit), exit == 0 ? out.toString() : out + "\n--- err\n" + err};
    }

    private static boolean tableExists(GateHome h, String table) throws SQLException {
        try (Connection conn = h.connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Every row of uplift_nodes but its times, ordered by id. */
    private static List<List<String>> nodeRows(GateHome h) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection conn = h.connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT node_id, product, host, program_version, keyset_fingerprint, service_account, role, home,"
                     + " started_at::text, last_heartbeat::text FROM uplift_nodes ORDER BY node_id")) {
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= 8; i++) {
                    row.add(rs.getString(i));
                }
                assertThat(rs.getString(9)).isNotNull();
                assertThat(rs.getString(10)).isNotNull();
                rows.add(row);
            }
        }
        return rows;
    }

    /** Every row of uplift_nodes, every column as text. */
    private static List<List<String>> snapshot(GateHome h) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection conn = h.connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM uplift_nodes ORDER BY node_id")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static Timestamp timestamp(GateHome h, String column) throws SQLException {
        try (Connection conn = h.connect(); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT " + column + " FROM uplift_nodes")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }
}
