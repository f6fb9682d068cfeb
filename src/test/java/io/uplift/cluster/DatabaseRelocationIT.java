package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.ClusterMode;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster's rows following a database move, between a real PostgreSQL 10 database (the old one)
 * and a real PostgreSQL 16 one (the new one, holding the cluster's tables empty, as the move leaves
 * them): carried once with the marker left behind, the old lease fenced for good, and brought back
 * by an undo.
 */
class DatabaseRelocationIT {
    private static final Duration TTL = Duration.ofMinutes(5);
    private DatabaseSettings old;
    private DatabaseSettings moved;
    private Path primaryHome;

    @BeforeEach
    void twoDatabases() throws Exception {
        old = settings(TestPostgres.v10().newDatabase());
        moved = settings(TestPostgres.v16().newDatabase());
        try (Connection o = connect(old); Connection n = connect(moved)) {
            ClusterSchema.ensure(o);
            ClusterSchema.ensure(n);
        }
        primaryHome = Files.createDirectories(TestPostgres.newTraversableTempDir().resolve("primary/.uplift")).getParent();
        Files.writeString(primaryHome.resolve(".uplift/node-id"), "node-1\n");
    }

    @Test
    void theRowsMoveOnceTheOldLeaderIsFencedAndTheMarkerNamesTheNewServer() throws SQLException {
        Leadership oldLeader;
        try (Connection o = connect(old)) {
            oldLeader = LeaderLease.tryAcquire(o, "agent-2", TTL).orElseThrow();
            assertThat(ClusterLog.append(o, oldLeader, 0, change(ClusterState.PREPARED))).isTrue();
            assertThat(NodeOrders.order(o, oldLeader, 7, "node-1", NodeOrders.Action.UPGRADE_PRIMARY)).isTrue();
            AgentBeats.beat(o, "node-2", "agent-2", "vm", "/h2", "leading");
        }

        assertThat(DatabaseRelocation.carry(old, moved, primaryHome)).isTrue();

        try (Connection o = connect(old); Connection n = connect(moved)) {
            assertThat(DatabaseRelocation.movedTo(o)).hasValueSatisfying(m -> {
                assertThat(m.upgradeId()).isEqualTo(7);
                assertThat(m.port()).isEqualTo(DatabaseRelocation.port(moved));
                assertThat(m.database()).isEqualTo(DatabaseRelocation.database(moved));
                assertThat(m.byNode()).isEqualTo("node-1");
            });
            assertThat(DatabaseRelocation.movedTo(n)).isEmpty();
            assertThat(DatabaseRelocation.movedFrom(n, 7)).map(DatabaseRelocation.Move::port).contains(DatabaseRelocation.port(old));
            assertThat(ClusterLog.history(n, 7)).singleElement().satisfies(s -> assertThat(s.state()).isEqualTo(ClusterState.PREPARED));
            assertThat(NodeOrders.nextFor(n, 7, "node-1")).map(NodeOrders.Order::action).contains(NodeOrders.Action.UPGRADE_PRIMARY);
            assertThat(AgentBeats.list(n)).singleElement().satisfies(a -> assertThat(a.nodeId()).isEqualTo("node-2"));

            // The old leader writes nothing more on the old database, and nobody can take the lease there.
            long seq = ClusterLog.latest(o).orElseThrow().seq();
            assertThat(ClusterLog.append(o, oldLeader, seq, change(ClusterState.MIXED))).isFalse();
            assertThat(LeaderLease.renew(o, oldLeader, TTL)).isFalse();
            assertThat(LeaderLease.tryAcquire(o, "agent-3", TTL)).isEmpty();

            // On the new one the first agent leads at once, with a fence no former leader held, and the history goes on.
            Leadership next = LeaderLease.tryAcquire(n, "agent-3", TTL).orElseThrow();
            assertThat(next.fence()).isGreaterThan(oldLeader.fence() + 1);
            assertThat(ClusterLog.append(n, next, seq, change(ClusterState.MIXED))).isTrue();
            assertThat(ClusterLog.latest(n).orElseThrow().seq()).isGreaterThan(seq);
            NodeOrders.report(n, 7, "node-1", NodeOrders.Action.UPGRADE_PRIMARY, NodeOrders.DONE, "done");
        }

        // Run again (a resumed move step): the marker is there, so what was written on the new database stays.
        assertThat(DatabaseRelocation.carry(old, moved, primaryHome)).isTrue();
        try (Connection n = connect(moved)) {
            assertThat(ClusterLog.history(n, 7)).extracting(ClusterStateChange::state).containsExactly(ClusterState.PREPARED, ClusterState.MIXED);
            assertThat(NodeOrders.nextFor(n, 7, "node-1")).isEmpty();
        }
    }

    @Test
    void aDatabaseWithoutTheClusterTablesIsLeftAloneAndTheMoveCopiesThoseTablesEmpty() throws Exception {
        DatabaseSettings single = settings(TestPostgres.v10().newDatabase());
        assertThat(DatabaseRelocation.moveFilters(single)).isEmpty();
        assertThat(DatabaseRelocation.carry(single, moved, primaryHome)).isFalse();
        assertThat(DatabaseRelocation.moveFilters(old)).containsEntry(ClusterSchema.STATE, "false")
                .containsEntry(ClusterSchema.AGENTS, "false").doesNotContainValue("true");
    }

    @Test
    void anUndoBringsTheRowsBackAndPointsTheNewDatabaseBackAtTheOldOne() throws SQLException {
        try (Connection o = connect(old)) {
            Leadership leader = LeaderLease.tryAcquire(o, "agent-2", TTL).orElseThrow();
            ClusterLog.append(o, leader, 0, change(ClusterState.PREPARED));
        }
        DatabaseRelocation.carry(old, moved, primaryHome);
        long fenceOnNew;
        try (Connection n = connect(moved)) {
            Leadership there = LeaderLease.tryAcquire(n, "agent-3", TTL).orElseThrow();
            fenceOnNew = there.fence();
            NodeOrders.order(n, there, 7, "node-2", NodeOrders.Action.STOP);
        }

        DatabaseRelocation.withdraw(old, moved);

        try (Connection o = connect(old); Connection n = connect(moved)) {
            assertThat(DatabaseRelocation.movedTo(o)).as("the old database holds the cluster again").isEmpty();
            assertThat(NodeOrders.nextFor(o, 7, "node-2")).as("written on the new database after the move")
                    .map(NodeOrders.Order::action).contains(NodeOrders.Action.STOP);
            assertThat(DatabaseRelocation.movedTo(n)).map(DatabaseRelocation.Move::port).contains(DatabaseRelocation.port(old));
            assertThat(LeaderLease.tryAcquire(n, "agent-3", TTL)).as("nobody leads on the new database any more").isEmpty();
            Leadership back = LeaderLease.tryAcquire(o, "agent-1", TTL).orElseThrow();
            assertThat(back.fence()).isGreaterThan(fenceOnNew);
        }
        DatabaseRelocation.withdraw(old, old); // run again (a resumed undo): nothing left to do
        try (Connection o = connect(old)) {
            assertThat(count(o, ClusterSchema.STATE)).isEqualTo(1);
        }
    }

    @Test
    void aNodeWhoseAgentDidNotComeToTheNewDatabaseIsStrandedAfterTheSilenceLimit() throws SQLException {
        try (Connection o = connect(old)) {
            Leadership leader = LeaderLease.tryAcquire(o, "agent-1", TTL).orElseThrow();
            ClusterLog.append(o, leader, 0, change(ClusterState.PREPARED));
            AgentBeats.beat(o, "node-1", "agent-1", "vm", "/h1", "idle");
            AgentBeats.beat(o, "node-2", "agent-2", "vm", "/h2", "idle");
            AgentBeats.beat(o, "node-3", "agent-3", "vm", "/h3", "idle");
        }
        DatabaseRelocation.carry(old, moved, primaryHome);
        List<String> nodes = List.of("node-1", "node-2", "node-3");
        try (Connection n = connect(moved); Statement st = n.createStatement()) {
            assertThat(DatabaseRelocation.stranded(n, 7, nodes, 60)).as("within the limit").isEmpty();
            // Two minutes later, as the clocks of both rows say.
            st.execute("UPDATE " + DatabaseRelocation.MOVES + " SET at = at - interval '2 minutes'");
            st.execute("UPDATE " + ClusterSchema.AGENTS + " SET last_seen = last_seen - interval '2 minutes'");
            AgentBeats.beat(n, "node-2", "agent-2b", "vm", "/h2", "idle"); // node 2 followed; node 3 did not
            assertThat(DatabaseRelocation.stranded(n, 7, nodes, 60)).containsExactly("node-3");
            assertThat(RelocationWatch.stranded(n, ClusterLog.latest(n).orElseThrow(), 60)).hasValueSatisfying(r ->
                    assertThat(r).contains("node-3").contains("did not follow the database from").contains("agent-status"));
        }
    }

    private static ClusterStateChange change(ClusterState state) {
        return new ClusterStateChange(0, 7, state, "2.1", "3.0", ClusterMode.PRIMARY_FIRST, "node-1", List.of("node-1", "node-2", "node-3"), 0,
                "", "test", "");
    }

    private static long count(Connection conn, String table) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static DatabaseSettings settings(TestPostgres.Database db) {
        return new DatabaseSettings(db.jdbcUrl(), db.user(), db.password());
    }

    private static Connection connect(DatabaseSettings db) {
        return Jdbc.connect(db.url(), db.user(), db.password());
    }
}
