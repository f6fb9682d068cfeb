package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ClusterMode;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import io.uplift.api.DemoSettings;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.CatalogLoader;
import io.uplift.cluster.NodeOrders.Action;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.journal.DurableFiles;
import io.uplift.keys.KeyHandover;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.InstalledVersionRecord;
import io.uplift.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader's decisions against a real PostgreSQL 16, with the registry and agent rows written as
 * the gates and agents write them: what is refused before anything is touched, a cancel before the
 * primary starts, and a finalize that stops when a node at the old version appears.
 */
class ClusterCoordinatorIT {
    private static final String KEYSET = "a".repeat(64);
    private TestPostgres.Database db;
    private ClusterCoordinator coordinator;
    private Leadership me;
    private Installation inst;

    @BeforeEach
    void cluster() throws Exception {
        db = TestPostgres.v16().newDatabase();
        Path home = Files.createDirectories(TestPostgres.newTraversableTempDir().resolve("home"));
        Files.createDirectories(home.resolve(".uplift"));
        Catalog catalog = CatalogLoader.load(DemoSettings.demoCatalog());
        inst = Installation.record(home, new InstallationState(catalog.product().id(), "1.0", catalog.folder().toString(),
                "lockbox", Map.of(), null, List.of()));
        coordinator = new ClusterCoordinator(catalog, new NodeRegistry(inst), 30);
        try (Connection conn = connect(); Statement st = conn.createStatement()) {
            ClusterSchema.ensure(conn);
            InstalledVersionRecord.write(conn, catalog.product().id(), "1.0");
            st.execute("CREATE TABLE public.uplift_nodes (node_id text PRIMARY KEY, product text NOT NULL, host text NOT NULL,"
                    + " program_version text NOT NULL, keyset_fingerprint text, service_account text NOT NULL, role text NOT NULL,"
                    + " home text NOT NULL, started_at timestamptz NOT NULL, last_heartbeat timestamptz NOT NULL)");
            for (String node : List.of("n1", "n2", "n3")) {
                node(st, node, "1.0", KEYSET);
                AgentBeats.beat(conn, node, node + "@host:1", "host", "/homes/" + node, "idle");
            }
            me = LeaderLease.tryAcquire(conn, "leader@host:1", Duration.ofMinutes(5)).orElseThrow();
        }
    }

    @Test
    void aReleaseThatRotatesTheKeysHandsTheNewKeyToEveryNodeBeforeTheOldOneRetiresAnywhere() throws SQLException {
        String after = "c".repeat(64);
        String retired = "d".repeat(64);
        try (Connection conn = connect(); Statement st = conn.createStatement()) {
            long id = ClusterRequests.add(conn, ClusterRequests.Kind.UPGRADE, "3.0", "n1", "test");
            assertThat(runUntilIdle(conn)).containsExactly("PREPARED: asked by test; checks passed for 3 node(s); primary-first: the other nodes stop while the primary upgrades", "ordered STOP on n2",
                    "ordered STOP on n3");
            NodeOrders.report(conn, id, "n2", Action.STOP, NodeOrders.DONE, "stopped");
            NodeOrders.report(conn, id, "n3", Action.STOP, NodeOrders.DONE, "stopped");
            assertThat(runUntilIdle(conn)).containsExactly("ordered UPGRADE_PRIMARY on n1");
            // The primary's agent publishes the wrapped key before it reports its upgrade done; its gate reports the new keyset.
            KeyHandoverTable.publish(conn, new KeyHandover.Parcel(id, 77, 11, new byte[] {1, 2, 3}, KEYSET, after, retired, List.of(11L)), "n1");
            st.execute("UPDATE uplift_nodes SET program_version = '3.0', keyset_fingerprint = '" + after + "' WHERE node_id = 'n1'");
            NodeOrders.report(conn, id, "n1", Action.UPGRADE_PRIMARY, NodeOrders.DONE, "upgraded; key 77 published");

            List<String> mixed = runUntilIdle(conn);
            assertThat(mixed).hasSize(3);
            assertThat(mixed.get(0)).startsWith("MIXED");
            assertThat(mixed.subList(1, 3)).as("every other node gets the key before any node is upgraded")
                    .containsExactly("ordered ADD_KEY on n2", "ordered ADD_KEY on n3");
            assertThat(coordinator.waiting()).contains("n2, n3 adding key 77");
            NodeOrders.report(conn, id, "n2", Action.ADD_KEY, NodeOrders.DONE, "key 77 added as primary");
            assertThat(runUntilIdle(conn)).as("no UPGRADE_NODE while n3 has not the key").isEmpty();
            NodeOrders.report(conn, id, "n3", Action.ADD_KEY, NodeOrders.DONE, "key 77 added as primary");
            assertThat(runUntilIdle(conn)).containsExactly("ordered UPGRADE_NODE on n2");
            NodeOrders.report(conn, id, "n2", Action.UPGRADE_NODE, NodeOrders.DONE, "upgraded");
            st.execute("UPDATE uplift_nodes SET program_version = '3.0', keyset_fingerprint = '" + after + "' WHERE node_id = 'n2'");
            assertThat(runUntilIdle(conn)).containsExactly("ordered UPGRADE_NODE on n3");
            NodeOrders.report(conn, id, "n3", Action.UPGRADE_NODE, NodeOrders.DONE, "upgraded");

            assertThat(runUntilIdle(conn)).as("n3's gate still reports the old keyset").isEmpty();
            assertThat(coordinator.waiting()).contains("old keys stay until node n3").contains("aaaaaaaaaaaa");
            st.execute("UPDATE uplift_nodes SET program_version = '3.0', keyset_fingerprint = '" + after + "' WHERE node_id = 'n3'");
            assertThat(runUntilIdle(conn)).containsExactly("ordered RETIRE_KEY on n2", "ordered RETIRE_KEY on n3", "ordered RETIRE_KEY on n1");
            NodeOrders.report(conn, id, "n2", Action.RETIRE_KEY, NodeOrders.DONE, "old keys [11] disabled");
            NodeOrders.report(conn, id, "n3", Action.RETIRE_KEY, NodeOrders.DONE, "old keys [11] disabled");
            assertThat(runUntilIdle(conn)).as("waits for the primary's retirement").isEmpty();
            assertThat(KeyHandoverTable.of(conn, id).orElseThrow().erased()).isFalse();
            NodeOrders.report(conn, id, "n1", Action.RETIRE_KEY, NodeOrders.DONE, "old keys [11] disabled");
            st.execute("UPDATE uplift_nodes SET keyset_fingerprint = '" + retired + "'");

            List<String> end = runUntilIdle(conn);
            assertThat(end.get(0)).isEqualTo("every node holds key 77 and retired keys [11]; the wrapped copy of key 77 was erased");
            assertThat(end.subList(1, end.size())).extracting(m -> m.substring(0, m.indexOf(':')))
                    .containsExactly("READY_TO_FINALIZE", "FINALIZING", "STABLE");
            KeyHandoverTable.Handover h = KeyHandoverTable.of(conn, id).orElseThrow();
            assertThat(h.erased()).isTrue();
            assertThat(h.parcel().wrapped()).as("the wrapped key is gone from the database").isNull();
        }
    }

    @Test
    void aNodeWithAnotherKeysetIsNamedAndNothingIsOrdered() throws SQLException {
        try (Connection conn = connect(); Statement st = conn.createStatement()) {
            st.execute("UPDATE uplift_nodes SET keyset_fingerprint = '" + "b".repeat(64) + "' WHERE node_id = 'n3'");
            ClusterRequests.add(conn, ClusterRequests.Kind.UPGRADE, "2.1", "n1", "test");
            coordinator.step(conn, me);
            assertThat(ClusterLog.latest(conn).orElseThrow()).satisfies(s -> {
                assertThat(s.state()).isEqualTo(ClusterState.FAILED);
                assertThat(s.reason()).contains("different keysets").contains("n3").contains("bbbbbbbbbbbb");
            });
            assertThat(count(conn, ClusterSchema.ORDERS)).isZero();
        }
    }

    @Test
    void aCancelBeforeThePrimaryStartsStartsTheStoppedNodesAgainAndEndsCancelled() throws SQLException {
        try (Connection conn = connect()) {
            long id = ClusterRequests.add(conn, ClusterRequests.Kind.UPGRADE, "2.1", "n1", "test");
            List<String> moves = runUntilIdle(conn);
            assertThat(moves).containsExactly("PREPARED: asked by test; checks passed for 3 node(s); primary-first: the other nodes stop while the primary upgrades", "ordered STOP on n2", "ordered STOP on n3");
            NodeOrders.report(conn, id, "n2", Action.STOP, NodeOrders.DONE, "stopped");
            ClusterRequests.add(conn, ClusterRequests.Kind.CANCEL, "2.1", "n1", "test");
            assertThat(runUntilIdle(conn)).containsExactly("ordered START on n2", "ordered START on n3");
            NodeOrders.report(conn, id, "n3", Action.STOP, NodeOrders.DONE, "stopped");
            NodeOrders.report(conn, id, "n2", Action.START, NodeOrders.DONE, "started");
            NodeOrders.report(conn, id, "n3", Action.START, NodeOrders.DONE, "started");
            assertThat(runUntilIdle(conn)).singleElement().satisfies(m -> assertThat(m).startsWith("CANCELLED"));
            assertThat(NodeOrders.find(NodeOrders.of(conn, id), "n1", Action.UPGRADE_PRIMARY)).as("the primary was never told").isEmpty();
        }
    }

    @Test
    void finalizeStopsWhenANodeAtTheOldVersionJoinsAndGoesOnOnceItIsUpgraded() throws SQLException {
        try (Connection conn = connect(); Statement st = conn.createStatement()) {
            st.execute("UPDATE uplift_nodes SET program_version = '2.1'");
            ClusterLog.append(conn, me, 0, new ClusterStateChange(0, 1, ClusterState.FINALIZING, "1.0", "2.1", ClusterMode.PRIMARY_FIRST, "n1",
                    List.of("n1", "n2", "n3"), 0, "", "test", ""));
            node(st, "n4", "1.0", KEYSET); // joins while finalize runs

            assertThat(coordinator.step(conn, me)).hasValueSatisfying(m -> assertThat(m)
                    .startsWith("READY_TO_FINALIZE: finalize stopped: node n4").contains("runs 1.0, not 2.1"));
            assertThat(coordinator.step(conn, me)).as("waits while n4 is behind").isEmpty();
            assertThat(coordinator.waiting()).contains("n4");

            st.execute("UPDATE uplift_nodes SET program_version = '2.1' WHERE node_id = 'n4'");
            assertThat(runUntilIdle(conn)).hasSize(2).last().satisfies(m -> assertThat(m).startsWith("STABLE"));
        }
    }

    @Test
    void aRollingReleaseStopsNoNodeAndFinalizesOnThePrimaryOnlyOnceEveryNodeRunsIt() throws SQLException {
        try (Connection conn = connect(); Statement st = conn.createStatement()) {
            InstalledVersionRecord.write(conn, "lockbox", "2.1");
            st.execute("UPDATE uplift_nodes SET program_version = '2.1'");
            long id = ClusterRequests.add(conn, ClusterRequests.Kind.UPGRADE, "2.2", "n1", "test");
            assertThat(runUntilIdle(conn)).containsExactly("PREPARED: asked by test; checks passed for 3 node(s); rolling: one node at a time"
                    + " while the others serve", "ordered UPGRADE_PRIMARY_ROLLING on n1");
            assertThat(ClusterLog.latest(conn).orElseThrow().mode()).isEqualTo(ClusterMode.ROLLING);

            NodeOrders.report(conn, id, "n1", Action.UPGRADE_PRIMARY_ROLLING, NodeOrders.DONE, "2.2 installed");
            st.execute("UPDATE uplift_nodes SET program_version = '2.2' WHERE node_id = 'n1'");
            assertThat(runUntilIdle(conn)).hasSize(2).satisfies(m -> assertThat(m.get(0)).startsWith("MIXED").contains("undoing needs no backup"))
                    .last().isEqualTo("ordered UPGRADE_NODE on n2");
            NodeOrders.report(conn, id, "n2", Action.UPGRADE_NODE, NodeOrders.DONE, "2.2 installed");
            assertThat(runUntilIdle(conn)).containsExactly("ordered UPGRADE_NODE on n3");
            NodeOrders.report(conn, id, "n3", Action.UPGRADE_NODE, NodeOrders.DONE, "2.2 installed");
            st.execute("UPDATE uplift_nodes SET program_version = '2.2' WHERE node_id = 'n2'");
            // n3 reported, but its row still says 2.1 (its gate has not beaten yet): no finalize while a node is behind.
            assertThat(runUntilIdle(conn)).hasSize(1).first().asString().startsWith("READY_TO_FINALIZE");
            assertThat(coordinator.waiting()).contains("n3").contains("runs 2.1");
            assertThat(NodeOrders.find(NodeOrders.of(conn, id), "n1", Action.FINALIZE)).isEmpty();

            st.execute("UPDATE uplift_nodes SET program_version = '2.2' WHERE node_id = 'n3'");
            assertThat(runUntilIdle(conn)).containsExactly("FINALIZING: every node runs 2.2", "ordered FINALIZE on n1");
            NodeOrders.report(conn, id, "n1", Action.FINALIZE, NodeOrders.DONE, "2.1 no longer admitted; 1 contract migration applied");
            assertThat(runUntilIdle(conn)).singleElement().asString().startsWith("STABLE").contains("contract migrations ran");
            assertThat(NodeOrders.of(conn, id).stream().map(o -> o.action())).doesNotContain(Action.STOP, Action.UPGRADE_PRIMARY);
        }
    }

    @Test
    void aSecondRequestWhileTheFirstWaitsForTheLeaderIsRefusedAndNothingIsAsked() throws Exception {
        DurableFiles.write(inst.home().resolve(DatabaseSettings.FILE), new DatabaseSettings(db.jdbcUrl(), db.user(), db.password()).toBytes());
        Files.writeString(inst.home().resolve(".uplift/node-id"), "n1\n");
        ClusterControl control = new ClusterControl(Installation.open(inst.home()));
        control.requestUpgrade("2.1");

        assertThatThrownBy(() -> control.requestUpgrade("2.0")).isInstanceOfSatisfying(UpliftException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.LOCKED);
            assertThat(e.getMessage()).contains("A cluster upgrade to 2.1 was asked already").contains("nothing was asked");
        });
        try (Connection conn = connect()) {
            assertThat(count(conn, ClusterSchema.REQUESTS)).isEqualTo(1);
        }
    }

    private List<String> runUntilIdle(Connection conn) throws SQLException {
        List<String> moves = new ArrayList<>();
        for (Optional<String> m = coordinator.step(conn, me); m.isPresent(); m = coordinator.step(conn, me)) {
            moves.add(m.get());
        }
        return moves;
    }

    private static void node(Statement st, String id, String version, String keyset) throws SQLException {
        st.execute("INSERT INTO uplift_nodes VALUES ('" + id + "', 'lockbox', 'host', '" + version + "', '" + keyset + "', 'lockbox', 'web',"
                + " '/homes/" + id + "', now(), now())");
    }

    private static long count(Connection conn, String table) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Connection connect() {
        return Jdbc.connect(db.jdbcUrl(), db.user(), db.password());
    }
}
