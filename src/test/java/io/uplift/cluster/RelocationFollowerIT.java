package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One node's agent following the cluster's database (a real PostgreSQL 10 database, the old one, and
 * a real PostgreSQL 16 one, the new one): it re-points its own settings and keeps the old file, it
 * refuses to follow where it cannot log in (the file untouched, the fix said), and it follows back
 * when the move is undone.
 */
class RelocationFollowerIT {
    private DatabaseSettings old;
    private DatabaseSettings moved;
    private Path node;
    private Path primaryHome;
    private final List<String> said = new ArrayList<>();

    @BeforeEach
    void databasesAndANode() throws Exception {
        TestPostgres.Database oldDb = TestPostgres.v10().newDatabase();
        TestPostgres.Database newDb = TestPostgres.v16().newDatabase();
        old = new DatabaseSettings(oldDb.jdbcUrl(), oldDb.user(), oldDb.password());
        moved = new DatabaseSettings(newDb.jdbcUrl(), newDb.user(), newDb.password());
        try (Connection o = Jdbc.connect(old.url(), old.user(), old.password())) {
            ClusterSchema.ensure(o);
        }
        Path dir = TestPostgres.newTraversableTempDir();
        primaryHome = Files.createDirectories(dir.resolve("primary/.uplift")).getParent();
        Files.writeString(primaryHome.resolve(".uplift/node-id"), "node-1\n");
        node = dir.resolve("node2");
        Files.createDirectories(node.resolve(".uplift"));
        Files.createDirectories(node.resolve("config"));
        Files.writeString(node.resolve(".uplift/state.json"), "{\"product\":\"lockbox\",\"version\":\"2.1\",\"catalog\":\"/nowhere\","
                + "\"serviceAccount\":\"root\",\"nodeLocalFiles\":{},\"managedDatabase\":null,\"pendingTasks\":[]}");
    }

    @Test
    void aNodeWithALoginOnTheNewServerPointsItsSettingsThereAndKeepsTheOldFile() throws Exception {
        DatabaseSettings mine = roleOnBothServers();
        mayRead(old, mine);
        writeSettings(mine);
        byte[] before = Files.readAllBytes(node.resolve(DatabaseSettings.FILE));
        RelocationFollower follower = follower();
        try (Connection c = connect(mine)) {
            assertThat(follower.follow(c)).as("no marker yet").isEqualTo(RelocationFollower.Outcome.HERE);
        }
        DatabaseRelocation.carry(old, moved, primaryHome);
        mayRead(old, mine);
        mayRead(moved, mine);

        try (Connection c = connect(mine)) {
            assertThat(follower.follow(c)).isEqualTo(RelocationFollower.Outcome.RECONNECT);
        }
        DatabaseSettings now = DatabaseSettings.read(node);
        assertThat(DatabaseRelocation.sameServer(now, moved)).as(now.url()).isTrue();
        assertThat(now.user()).isEqualTo(mine.user());
        assertThat(now.password()).isEqualTo(mine.password());
        Path kept = node.resolve(".uplift/relocation").resolve("database-before-upgrade-0.properties");
        assertThat(Files.readAllBytes(kept)).isEqualTo(before);
        try (Connection c = connect(now)) {
            assertThat(follower.follow(c)).as("on the new server").isEqualTo(RelocationFollower.Outcome.HERE);
        }
        assertThat(said).anyMatch(s -> s.contains("points there now"));

        // While the move stands, a new server that is away is only away: nothing goes back.
        assertThat(follower.followBack()).isFalse();
        // The primary's rollback withdraws the move (the new server is gone by then): the kept settings come back.
        DatabaseRelocation.withdraw(old, old);
        assertThat(follower.followBack()).isTrue();
        assertThat(Files.readAllBytes(node.resolve(DatabaseSettings.FILE))).isEqualTo(before);
        assertThat(kept).doesNotExist();
    }

    @Test
    void anOperatorsCommandOnANodeThatHasNotFollowedYetReadsWhereTheClusterWent() throws Exception {
        DatabaseSettings mine = roleOnBothServers();
        writeSettings(mine);
        try (Connection o = connect(old)) {
            Leadership leader = LeaderLease.tryAcquire(o, "agent-1", java.time.Duration.ofMinutes(5)).orElseThrow();
            ClusterLog.append(o, leader, 0, new io.uplift.api.ClusterStateChange(0, 4, io.uplift.api.ClusterState.PREPARED, "2.1", "3.0",
                    io.uplift.api.ClusterMode.PRIMARY_FIRST, "node-1", List.of("node-1", "node-2"), 0, "", "asked", ""));
        }
        DatabaseRelocation.carry(old, moved, primaryHome);
        mayRead(old, mine);
        mayRead(moved, mine);
        try (Connection n = connect(moved)) {
            Leadership there = LeaderLease.tryAcquire(n, "agent-3", java.time.Duration.ofMinutes(5)).orElseThrow();
            long seq = ClusterLog.latest(n).orElseThrow().seq();
            ClusterLog.append(n, there, seq, new io.uplift.api.ClusterStateChange(0, 4, io.uplift.api.ClusterState.MIXED, "2.1", "3.0",
                    io.uplift.api.ClusterMode.PRIMARY_FIRST, "node-1", List.of("node-1", "node-2"), 0, "", "written after the move", ""));
        }

        io.uplift.api.ClusterStatus status = new ClusterControl(Installation.open(node)).status();

        assertThat(status.state()).isEqualTo(io.uplift.api.ClusterState.MIXED);
        assertThat(status.history()).extracting(io.uplift.api.ClusterStateChange::reason).containsExactly("asked", "written after the move");
        assertThat(DatabaseRelocation.sameServer(DatabaseSettings.read(node), old)).as("a command does not re-point the node").isTrue();
    }

    @Test
    void anAgentKilledBetweenKeepingTheOldFileAndReplacingTheSettingsFinishesTheNextTime() throws Exception {
        DatabaseSettings mine = roleOnBothServers();
        writeSettings(mine);
        byte[] before = Files.readAllBytes(node.resolve(DatabaseSettings.FILE));
        DatabaseRelocation.carry(old, moved, primaryHome);
        mayRead(old, mine);
        // What the killed agent left: the kept copy written, the settings not replaced yet.
        Path kept = node.resolve(".uplift/relocation").resolve("database-before-upgrade-0.properties");
        Files.createDirectories(kept.getParent());
        Files.write(kept, before);

        try (Connection c = connect(mine)) {
            assertThat(follower().follow(c)).isEqualTo(RelocationFollower.Outcome.RECONNECT);
        }
        assertThat(DatabaseRelocation.sameServer(DatabaseSettings.read(node), moved)).isTrue();
        assertThat(Files.readAllBytes(kept)).as("the kept copy is still the original").isEqualTo(before);
        assertThat(Files.list(kept.getParent()).count()).isEqualTo(1);
    }

    @Test
    void aNodeTheNewServerRefusesKeepsItsSettingsAndSaysTheFix() throws Exception {
        DatabaseSettings mine = roleOn(old, "only_old_" + UUID.randomUUID().toString().substring(0, 6), UUID.randomUUID().toString());
        writeSettings(mine);
        byte[] before = Files.readAllBytes(node.resolve(DatabaseSettings.FILE));
        DatabaseRelocation.carry(old, moved, primaryHome);
        mayRead(old, mine);
        RelocationFollower follower = follower();
        try (Connection c = connect(mine)) {
            assertThat(follower.follow(c)).isEqualTo(RelocationFollower.Outcome.WAITING);
            assertThat(follower.follow(c)).as("tried again each round").isEqualTo(RelocationFollower.Outcome.WAITING);
        }
        assertThat(Files.readAllBytes(node.resolve(DatabaseSettings.FILE))).isEqualTo(before);
        assertThat(node.resolve(".uplift/relocation")).doesNotExist();
        assertThat(said).as("said once, not every round").hasSize(1);
        assertThat(said.get(0)).contains("cannot follow").contains("logging in there as " + mine.user() + " failed")
                .contains("CREATE ROLE").doesNotContain(mine.password());
    }

    @Test
    void aLoopbackAddressOfAnotherMachineIsNotFollowed() throws Exception {
        DatabaseSettings mine = roleOnBothServers();
        writeSettings(mine);
        DatabaseRelocation.carry(old, moved, primaryHome);
        mayRead(old, mine);
        try (Connection admin = connect(old); Statement st = admin.createStatement()) {
            st.execute("UPDATE " + DatabaseRelocation.MOVES + " SET machine = 'another-machine'");
        }
        try (Connection c = connect(mine)) {
            assertThat(follower().follow(c)).isEqualTo(RelocationFollower.Outcome.WAITING);
        }
        assertThat(said.get(0)).contains("of another-machine").contains("listen_addresses");
        assertThat(DatabaseRelocation.sameServer(DatabaseSettings.read(node), old)).isTrue();
    }

    private RelocationFollower follower() {
        return new RelocationFollower(Installation.open(node), "node-2", said::add);
    }

    private void writeSettings(DatabaseSettings s) throws Exception {
        Files.write(node.resolve(DatabaseSettings.FILE), s.toBytes());
    }

    /** A login role of this node's own, on both servers with the same password, as an operator would give it. */
    private DatabaseSettings roleOnBothServers() throws SQLException {
        String role = "node_" + UUID.randomUUID().toString().substring(0, 6);
        DatabaseSettings mine = roleOn(old, role, UUID.randomUUID().toString());
        roleOn(moved, role, mine.password());
        return mine;
    }

    private static DatabaseSettings roleOn(DatabaseSettings db, String role, String password) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
        }
        return new DatabaseSettings(db.url(), role, password);
    }

    /** What the product's user has on the cluster's tables (it creates them): here, reading them is enough. */
    private static void mayRead(DatabaseSettings db, DatabaseSettings role) throws SQLException {
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            st.execute("GRANT USAGE ON SCHEMA " + ClusterSchema.SCHEMA + " TO " + role.user());
            st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + ClusterSchema.SCHEMA + " TO " + role.user());
        }
    }

    private static Connection connect(DatabaseSettings db) {
        return Jdbc.connect(db.url(), db.user(), db.password());
    }

}
