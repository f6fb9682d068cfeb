package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ClusterMode;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import io.uplift.db.Jdbc;
import io.uplift.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The leader lease and its fence against a real PostgreSQL 16: a former leader's writes change nothing. */
class LeaderLeaseIT {
    private static final Duration TTL = Duration.ofMinutes(5);
    private TestPostgres.Database db;

    @BeforeEach
    void newDatabase() throws SQLException {
        db = TestPostgres.v16().newDatabase();
        try (Connection conn = connect()) {
            ClusterSchema.ensure(conn);
        }
    }

    @Test
    void onlyOneAgentHoldsTheLeaseUntilItExpiresAndTheSuccessorGetsTheNextFence() throws SQLException {
        try (Connection a = connect(); Connection b = connect()) {
            Leadership first = LeaderLease.tryAcquire(a, "agent-a", TTL).orElseThrow();
            assertThat(LeaderLease.tryAcquire(b, "agent-b", TTL)).as("taken while A's lease runs").isEmpty();
            assertThat(LeaderLease.renew(a, first, TTL)).isTrue();

            expireLease(b); // A paused (SIGSTOP, a long pause) past its lease
            Leadership second = LeaderLease.tryAcquire(b, "agent-b", TTL).orElseThrow();
            assertThat(second.fence()).isEqualTo(first.fence() + 1);
            assertThat(LeaderLease.renew(a, first, TTL)).as("the former leader cannot renew").isFalse();
            assertThat(LeaderLease.current(b)).contains(second);
        }
    }

    @Test
    void aFormerLeadersStateAppendAndOrderChangeZeroRows() throws SQLException {
        try (Connection a = connect(); Connection b = connect()) {
            Leadership first = LeaderLease.tryAcquire(a, "agent-a", TTL).orElseThrow();
            assertThat(ClusterLog.append(a, first, 0, change(ClusterState.PREPARED))).isTrue();
            long seq = ClusterLog.latest(a).orElseThrow().seq();

            expireLease(b);
            Leadership second = LeaderLease.tryAcquire(b, "agent-b", TTL).orElseThrow();
            assertThat(ClusterLog.append(a, first, seq, change(ClusterState.MIXED))).isFalse();
            assertThat(NodeOrders.order(a, first, 7, "node-2", NodeOrders.Action.STOP)).isFalse();
            assertThat(count(b, ClusterSchema.STATE)).isEqualTo(1);
            assertThat(count(b, ClusterSchema.ORDERS)).isZero();

            assertThat(ClusterLog.append(b, second, seq, change(ClusterState.MIXED))).isTrue();
            assertThat(ClusterLog.latest(b).orElseThrow()).satisfies(s -> {
                assertThat(s.state()).isEqualTo(ClusterState.MIXED);
                assertThat(s.fence()).isEqualTo(second.fence());
                assertThat(s.movedBy()).isEqualTo("agent-b");
            });
        }
    }

    @Test
    void aStateIsAppendedOnlyOnTopOfTheOneItsLeaderRead() throws SQLException {
        try (Connection a = connect()) {
            Leadership me = LeaderLease.tryAcquire(a, "agent-a", TTL).orElseThrow();
            assertThat(ClusterLog.append(a, me, 0, change(ClusterState.PREPARED))).isTrue();
            assertThat(ClusterLog.append(a, me, 0, change(ClusterState.MIXED))).as("stale read: seq 0 is no longer the latest").isFalse();
            assertThat(count(a, ClusterSchema.STATE)).isEqualTo(1);
        }
    }

    @Test
    void theStateHistoryCannotBeUpdatedOrDeleted() throws SQLException {
        try (Connection a = connect()) {
            Leadership me = LeaderLease.tryAcquire(a, "agent-a", TTL).orElseThrow();
            ClusterLog.append(a, me, 0, change(ClusterState.PREPARED));
            try (Statement st = a.createStatement()) {
                assertThatThrownBy(() -> st.execute("UPDATE " + ClusterSchema.STATE + " SET state = 'STABLE'")).hasMessageContaining("append-only");
                assertThatThrownBy(() -> st.execute("DELETE FROM " + ClusterSchema.STATE)).hasMessageContaining("append-only");
            }
            assertThat(ClusterLog.latest(a).map(ClusterStateChange::state)).contains(ClusterState.PREPARED);
        }
    }

    @Test
    void anOrderIsGivenOnceAndItsReportIsSeen() throws SQLException {
        try (Connection a = connect()) {
            Leadership me = LeaderLease.tryAcquire(a, "agent-a", TTL).orElseThrow();
            assertThat(NodeOrders.order(a, me, 3, "node-2", NodeOrders.Action.STOP)).isTrue();
            assertThat(NodeOrders.order(a, me, 3, "node-2", NodeOrders.Action.STOP)).isTrue();
            assertThat(count(a, ClusterSchema.ORDERS)).isEqualTo(1);
            assertThat(NodeOrders.nextFor(a, 3, "node-2")).map(NodeOrders.Order::action).contains(NodeOrders.Action.STOP);
            NodeOrders.report(a, 3, "node-2", NodeOrders.Action.STOP, NodeOrders.DONE, "services stopped");
            assertThat(NodeOrders.nextFor(a, 3, "node-2")).isEmpty();
            assertThat(NodeOrders.of(a, 3)).singleElement().satisfies(o -> assertThat(o.outcome()).isEqualTo(NodeOrders.DONE));
        }
    }

    @Test
    void theLeasesWritesWorkWhileMaintenanceMakesNewSessionsReadOnly() throws SQLException {
        try (Connection admin = connect(); Statement st = admin.createStatement()) {
            st.execute("ALTER DATABASE " + Jdbc.quoteIdentifier(db.name()) + " SET default_transaction_read_only = on");
        }
        try (Connection a = connect()) {
            Optional<Leadership> me = LeaderLease.tryAcquire(a, "agent-a", TTL);
            assertThat(me).isPresent();
            assertThat(ClusterLog.append(a, me.get(), 0, change(ClusterState.PREPARED))).isTrue();
        }
    }

    private static ClusterStateChange change(ClusterState state) {
        return new ClusterStateChange(0, 7, state, "1.0", "2.1", ClusterMode.PRIMARY_FIRST, "node-1", List.of("node-1", "node-2"), 0, "", "test", "");
    }

    private static void expireLease(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("UPDATE " + ClusterSchema.LEASE + " SET lease_until = now() - interval '1 second'");
        }
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
