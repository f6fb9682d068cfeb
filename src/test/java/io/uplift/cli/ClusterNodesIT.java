package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.Uplift;
import io.uplift.api.DemoSettings;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.InstalledVersionRecord;
import io.uplift.install.NodeLocalFiles;
import io.uplift.keys.KeysetRecord;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 'uplift nodes forget', 'uplift nodes' and the cluster-nodes check (issue 16, item 4) against a real
 * PostgreSQL 16 whose uplift_nodes rows are written as the node gate writes them, heartbeats moved
 * back on the database clock for the nodes that are to be silent.
 */
class ClusterNodesIT {
    private static final String FP = "3f1c0b9e27aa" + "a".repeat(52);
    private static final String OTHER_FP = "9d02e4c1b7f5" + "b".repeat(52);

    /** A home at 3.0 on a fresh database with 3.0 and FP recorded, and an empty node registry. */
    private record Cluster(Path home, TestPostgres.Database db) {
        static Cluster create() throws IOException, SQLException {
            TestPostgres.Database db = TestPostgres.v16().newDatabase();
            Path home = TestPostgres.newTraversableTempDir().resolve("lockbox");
            Files.createDirectories(home.resolve(".uplift"));
            Files.createDirectories(home.resolve("config"));
            Files.createDirectories(home.resolve("app"));
            Files.write(home.resolve(DatabaseSettings.FILE), new DatabaseSettings(db.jdbcUrl(), db.user(), db.password()).toBytes());
            Installation.record(home, new InstallationState("lockbox", "2.1", DemoSettings.shippedCatalog().toString(),
                    Files.getOwner(home.resolve("app")).getName(), NodeLocalFiles.fingerprint(home, List.of(DatabaseSettings.FILE)), null,
                    List.of()));
            Cluster c = new Cluster(home, db);
            try (Connection conn = c.connect(); Statement st = conn.createStatement()) {
                InstalledVersionRecord.write(conn, "lockbox", "3.0");
                KeysetRecord.write(conn, FP, 1, home);
                // The gate's table (uplift-gate NodeRegistration).
                st.execute("CREATE TABLE public.uplift_nodes (node_id text PRIMARY KEY, product text NOT NULL, host text NOT NULL,"
                        + " program_version text NOT NULL, keyset_fingerprint text, service_account text NOT NULL, role text NOT NULL,"
                        + " home text NOT NULL, started_at timestamptz NOT NULL, last_heartbeat timestamptz NOT NULL)");
            }
            return c;
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        }

        /** A node row whose last heartbeat is {@code ageSeconds} old on the database clock. */
        void node(String id, String host, String version, String fingerprint, String account, int ageSeconds) throws SQLException {
            try (Connection conn = connect(); PreparedStatement ps = conn.prepareStatement("INSERT INTO public.uplift_nodes VALUES"
                    + " (?, 'lockbox', ?, ?, ?, ?, 'web', ?, now() - interval '1 hour', now() - make_interval(secs => ?))")) {
                ps.setString(1, id);
                ps.setString(2, host);
                ps.setString(3, version);
                ps.setString(4, fingerprint);
                ps.setString(5, account);
                ps.setString(6, "/srv/" + id);
                ps.setInt(7, ageSeconds);
                ps.executeUpdate();
            }
        }

        /** Every row, every column as text, ordered by id. */
        List<List<String>> rows() throws SQLException {
            List<List<String>> rows = new ArrayList<>();
            try (Connection conn = connect(); Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT * FROM public.uplift_nodes ORDER BY node_id")) {
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.add(rs.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }

        List<String> ids() throws SQLException {
            return rows().stream().map(r -> r.get(0)).toList();
        }

        String h() {
            return home.toString();
        }
    }

    @Test
    void forgetRemovesASilentNodeAndLeavesTheOthers() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-alive001", "app-1", "3.0", FP, "lockbox", 2);
        c.node("node-gone0002", "app-2", "3.0", FP, "lockbox", 300);

        Run run = Run.of("nodes", "forget", "node-gone0002", "--yes", "--home", c.h());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Forgot node node-gone0002 (web on app-2, home /srv/node-gone0002)");
        assertThat(c.ids()).containsExactly("node-alive001");
    }

    @Test
    void forgetWorksInMaintenanceModeWhenNewSessionsAreReadOnly() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-gone0002", "app-2", "3.0", FP, "lockbox", 300);
        try (Connection conn = c.connect(); Statement st = conn.createStatement()) {
            st.execute("ALTER DATABASE " + c.db().name() + " SET default_transaction_read_only = on");
        }

        Run run = Run.of("nodes", "forget", "node-gone0002", "--yes", "--home", c.h());

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(c.ids()).isEmpty();
    }

    @Test
    void forgetOfAnAliveNodeIsRefusedWithExit26AndChangesNothing() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-alive001", "app-1", "3.0", FP, "lockbox", 5);
        List<List<String>> before = c.rows();

        Run run = Run.of("nodes", "forget", "node-alive001", "--yes", "--home", c.h());

        assertThat(run.exit()).as(run.toString()).isEqualTo(26);
        assertThat(run.err()).contains("node-alive001 (web on app-1").contains("sent its last heartbeat 5 s ago").contains("it is running")
                .contains("Nothing was changed.");
        assertThat(c.rows()).isEqualTo(before);
    }

    @Test
    void forgetOfAnAliveNodeIsRefusedWithoutAskingEvenWithoutYes() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-alive001", "app-1", "3.0", FP, "lockbox", 5);

        Run run = Run.of("nodes", "forget", "node-alive001", "--home", c.h());

        assertThat(run.exit()).as("the reason, not the missing confirmation: " + run).isEqualTo(26);
        assertThat(c.ids()).containsExactly("node-alive001");
    }

    @Test
    void forgetOfASilentNodeWithoutATerminalAndWithoutYesRefusesAndChangesNothing() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-gone0002", "app-2", "3.0", FP, "lockbox", 300);

        Run run = Run.of("nodes", "forget", "node-gone0002", "--home", c.h());

        assertThat(run.exit()).as(run.toString()).isEqualTo(16);
        assertThat(run.err()).contains("--yes");
        assertThat(c.ids()).containsExactly("node-gone0002");
    }

    /**
     * The race the delete's WHERE clause closes: the node is silent when forget reads it, and its
     * heartbeat commits while the delete waits for the row. The delete then sees the fresh heartbeat
     * and removes nothing, and the operator is told the node came back.
     */
    @Test
    void aHeartbeatLandingDuringTheDeleteKeepsTheRowAndIsReported() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-back0001", "app-1", "3.0", FP, "lockbox", 300);
        try (Connection heartbeat = c.connect()) {
            heartbeat.setAutoCommit(false);
            try (Statement st = heartbeat.createStatement()) {
                st.executeUpdate("UPDATE public.uplift_nodes SET last_heartbeat = now() WHERE node_id = 'node-back0001'");
            }
            CompletableFuture<Throwable> forget = CompletableFuture.supplyAsync(() -> {
                try {
                    Uplift.configure().home(c.home()).load().forgetNode("node-back0001");
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            awaitDeleteWaitingForTheRow(c, forget);
            heartbeat.commit();

            Throwable refused = forget.get(60, TimeUnit.SECONDS);
            assertThat(refused).isInstanceOfSatisfying(UpliftException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.NODE_ALIVE);
                assertThat(e.getMessage()).contains("sent a heartbeat while it was being forgotten");
            });
        }
        assertThat(c.ids()).containsExactly("node-back0001");
    }

    /** Polls pg_stat_activity until the DELETE waits on a lock (deadline 60 s); fails early if forget already ended. */
    private static void awaitDeleteWaitingForTheRow(Cluster c, CompletableFuture<Throwable> forget) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Connection conn = c.connect(); PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = ? AND wait_event_type = 'Lock' AND query LIKE 'DELETE FROM public.uplift_nodes%'")) {
            ps.setString(1, c.db().name());
            while (System.nanoTime() < deadline) {
                assertThat(forget).as("forget ended before its delete waited for the row: %s", forget).isNotDone();
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 1) {
                        return;
                    }
                }
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("the delete never waited for the row lock");
    }

    @Test
    void forgetOfAnUnknownIdIsRefusedListingTheKnownIds() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-alive001", "app-1", "3.0", FP, "lockbox", 2);
        c.node("node-gone0002", "app-2", "3.0", FP, "lockbox", 300);

        Run run = Run.of("nodes", "forget", "node-nope0003", "--yes", "--home", c.h());

        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("No node 'node-nope0003'").contains("node-alive001, node-gone0002").contains("Nothing was changed.");
        assertThat(c.ids()).containsExactly("node-alive001", "node-gone0002");
    }

    @Test
    void nodesShowsStatusAndTheCommandThatFixesANodeBehindOrSilent() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-alive001", "app-1", "3.0", FP, "lockbox", 2);
        c.node("node-behind02", "app-2", "2.1", FP, "lockbox", 3);
        c.node("node-gone0003", "app-3", "3.0", FP, "lockbox", 300);

        Run json = Run.of("nodes", "--json", "--home", c.h());

        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode list = new ObjectMapper().readTree(json.out());
        assertThat(list.get("databaseVersion").asText()).isEqualTo("3.0");
        assertThat(list.get("silentAfterSeconds").asLong()).isEqualTo(60);
        JsonNode nodes = list.get("nodes");
        assertThat(nodes.get(0).get("nodeId").asText()).isEqualTo("node-alive001");
        assertThat(nodes.get(0).get("status").asText()).isEqualTo("alive");
        assertThat(nodes.get(0).get("fix").isNull()).isTrue();
        assertThat(nodes.get(1).get("fix").asText()).isEqualTo("uplift upgrade --home /srv/node-behind02 --to 3.0");
        assertThat(nodes.get(2).get("status").asText()).isEqualTo("silent");
        assertThat(nodes.get(2).get("fix").asText()).contains("uplift nodes forget node-gone0003 --home " + c.h());

        Run text = Run.of("nodes", "--home", c.h());
        assertThat(text.out()).contains("the database belongs to version 3.0").containsPattern("node-gone0003 .* silent ")
                .contains("To fix:").contains("node-behind02 (alive, version 2.1): uplift upgrade --home /srv/node-behind02 --to 3.0");
    }

    @Test
    void checkNamesTheNodeWithAnotherKeyset() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-a000001", "app-1", "3.0", FP, "lockbox", 2);
        c.node("node-c000003", "app-3", "3.0", OTHER_FP, "lockbox", 2);

        JsonNode result = clusterCheck(c);

        assertThat(result.get("status").asText()).isEqualTo("FAIL");
        assertThat(result.get("observed").asText()).contains("3f1c0b9e27aa (the database's) on node-a000001 (app-1)")
                .contains("9d02e4c1b7f5 on node-c000003 (app-3)");
        assertThat(result.get("remedy").asText()).contains("from node-a000001");
    }

    @Test
    void checkNamesTheNodeWithAnotherServiceAccount() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-a000001", "app-1", "3.0", FP, "lockbox", 2);
        c.node("node-b000002", "app-2", "3.0", FP, "root", 2);

        JsonNode result = clusterCheck(c);

        assertThat(result.get("status").asText()).isEqualTo("FAIL");
        assertThat(result.get("observed").asText()).contains("lockbox on node-a000001 (app-1)").contains("root on node-b000002 (app-2)");
    }

    @Test
    void checkNamesTheSilentNodeWithTheForgetCommand() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-a000001", "app-1", "3.0", FP, "lockbox", 2);
        c.node("node-gone0002", "app-2", "3.0", FP, "lockbox", 300);

        JsonNode result = clusterCheck(c);

        assertThat(result.get("status").asText()).isEqualTo("FAIL");
        assertThat(result.get("observed").asText()).contains("node node-gone0002").contains("is silent").contains("5 min ago");
        assertThat(result.get("remedy").asText()).contains("uplift nodes forget node-gone0002 --home " + c.h());
    }

    @Test
    void checkNumbersSeveralProblemsSoThatEachRemedyMatchesItsObservation() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-a000001", "app-1", "3.0", FP, "lockbox", 2);
        c.node("node-b000002", "app-2", "3.0", FP, "root", 300);

        JsonNode result = clusterCheck(c);

        assertThat(result.get("observed").asText()).startsWith("(1) the nodes run as 2 different service accounts")
                .contains(" (2) node node-b000002");
        assertThat(result.get("remedy").asText()).startsWith("(1) run the product's services as the same account")
                .contains(" (2) start it, or 'uplift nodes forget node-b000002");
    }

    @Test
    void checkPassesForNodesThatAgreeAndForASingleNode() throws Exception {
        Cluster c = Cluster.create();
        c.node("node-a000001", "app-1", "3.0", FP, "lockbox", 2);
        assertThat(clusterCheck(c).get("status").asText()).isEqualTo("PASS");
        c.node("node-b000002", "app-2", "3.0", FP, "lockbox", 2);
        JsonNode result = clusterCheck(c);
        assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("PASS");
        assertThat(result.get("observed").asText()).contains("2 nodes");
    }

    /** The cluster-nodes result of 'uplift check --to 3.0 --json' (the other checks judge this test home too, and may fail). */
    private static JsonNode clusterCheck(Cluster c) throws IOException {
        Run run = Run.of("check", "--to", "3.0", "--json", "--home", c.h());
        JsonNode report = new ObjectMapper().readTree(run.out());
        for (JsonNode r : report.get("results")) {
            if (r.get("id").asText().equals("cluster-nodes")) {
                return r;
            }
        }
        throw new AssertionError("no cluster-nodes check in " + run);
    }
}
