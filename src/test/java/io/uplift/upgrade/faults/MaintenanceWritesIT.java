package io.uplift.upgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.testsupport.UpliftJvm;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 1: no change the database acknowledged may be lost to a rollback. Clients write
 * Lockbox events in a loop while the real uplift upgrades and rolls back (child JVMs, a real
 * PostgreSQL 10): one on a connection opened long before the upgrade, one that switches read-only
 * off before every write. Every insert that committed without error must be there at the end.
 */
class MaintenanceWritesIT {
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(3);
    private static final Optional<Path> SHIPPED_CATALOG = Optional.empty();
    private static final String REFUSAL = "Lockbox is in maintenance for an upgrade to 2.1; changes are refused until it ends";
    /** Far above the demo's own event ids. */
    private static final AtomicLong NEXT_ID = new AtomicLong(900_000_000L);

    @AfterAll
    static void stopEveryDemoServer() {
        Demo.stopAll();
    }

    @Test
    void issue13_item1_everyWriteAcknowledgedDuringAFailedUpgradeAndItsRollbackIsThereAfterTheRollback() throws Exception {
        Demo demo = Demo.prepare(500);
        // The 2.1 hop fails after a while: the upgrade went through its backup and its first hop, then rollback restores.
        Path catalog = Demo.catalogCopy(c -> {
            Demo.write(c.resolve("releases/2.1/migrations/V2_1_0_900__fails.sql"), "SELECT pg_sleep(2);\nSELECT 1 / 0;\n");
            Demo.reseal(c, "2.1");
        });
        Optional<Path> c = Optional.of(catalog);
        Properties db = demo.databaseProperties();

        try (Writer longOpen = new Writer("long-open", db, false); Writer readWrite = new Writer("read-write", db, true)) {
            longOpen.start();
            readWrite.start();
            awaitCondition("both writers acknowledged a write before the upgrade", () -> longOpen.acked() > 0 && readWrite.acked() > 0);

            UpliftJvm.Result upgrade = UpliftJvm.start(demo.work, Map.of(), demo.args(c, "upgrade", "--to", "2.1", "--yes"))
                    .awaitExit(STEP_TIMEOUT);
            assertThat(upgrade.exit()).as(upgrade.toString()).isEqualTo(18);
            assertThat(upgrade.err()).contains("2.1/migrate-schema");
            List<String> steps = new java.util.ArrayList<>();
            demo.journal().orElseThrow().get("steps").forEach(s -> steps.add(s.get("id").asText()));
            int refusedDuringUpgrade = readWrite.refusedWith(REFUSAL);

            UpliftJvm.Result rollback = demo.run(demo.args(c, "rollback", "--yes"));
            assertThat(rollback.exit()).as(rollback.toString()).isZero();
            long ackedWhenRolledBack = readWrite.acked();
            awaitCondition("a write acknowledged again after the rollback", () -> readWrite.acked() > ackedWhenRolledBack);
            longOpen.stop();
            readWrite.stop();

            System.out.printf("[issue13-item1] long-open: %d acknowledged, errors %s; read-write: %d acknowledged, %d refused by the guard"
                    + " during the upgrade, errors %s%n", longOpen.acked(), longOpen.errorSummary(), readWrite.acked(), refusedDuringUpgrade,
                    readWrite.errorSummary());
            NavigableSet<Long> present = eventIdsFrom(db, 900_000_000L);
            for (Writer w : List.of(longOpen, readWrite)) {
                Set<Long> lost = new TreeSet<>(w.ackedIds);
                lost.removeAll(present);
                assertThat(lost).as(w.name + ": acknowledged writes missing after the rollback (" + w.ackedIds.size()
                        + " acknowledged; errors seen: " + w.errorSummary() + ")").isEmpty();
            }
            assertThat(refusedDuringUpgrade).as("the session that turns read-only off was refused by the guard, saying why; errors: "
                    + readWrite.errorSummary()).isPositive();
            assertThat(longOpen.errors).as("the session open since before the upgrade was ended when maintenance began")
                    .anyMatch(e -> e.startsWith("57P01") || e.startsWith("08"));
            assertThat(steps).as("maintenance spans both hops").contains("1.1/maintenance-on", "2.1/maintenance-off")
                    .doesNotContain("1.1/maintenance-off", "2.1/maintenance-on");
            assertThat(demo.status(c).at("/installedVersion").asText()).isEqualTo("1.0");
            assertNoGuardLeft(db);
        }
    }

    @Test
    void issue13_item1_afterTheUpgradeToThreeWithItsDatabaseMoveWritesWorkAgainOnTheNewServer() throws Exception {
        Demo demo = Demo.prepare(300);

        UpliftJvm.Result upgrade = demo.run(demo.args(SHIPPED_CATALOG, "upgrade", "--to", "3.0", "--yes"));

        assertThat(upgrade.exit()).as(upgrade.toString()).isZero();
        Properties db = demo.databaseProperties();
        assertNoGuardLeft(db);
        try (Connection conn = DriverManager.getConnection(db.getProperty("url"), db); Statement st = conn.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO events (id, occurred_at, kind) VALUES (" + NEXT_ID.incrementAndGet()
                    + ", now(), 'issue13-after')")).isEqualTo(1);
            try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(16);
            }
        }
    }

    @Test
    void issue13_item1_rollbackIsRefusedOnceMaintenanceEndedAndResumeFinishes() throws Exception {
        Demo demo = Demo.prepare(300);
        UpliftJvm held = UpliftJvm.start(demo.work, Map.of("UPLIFT_TEST_HOLD_AT", "1.1/maintenance-off:after"),
                demo.args(SHIPPED_CATALOG, "upgrade", "--to", "1.1", "--yes"));
        try {
            assertThat(held.awaitErr("uplift-test-hold 1.1/maintenance-off:after", STEP_TIMEOUT)).as(held.err()).isTrue();
        } finally {
            held.kill();
        }
        Properties db = demo.databaseProperties();
        long id = NEXT_ID.incrementAndGet();
        try (Connection conn = DriverManager.getConnection(db.getProperty("url"), db); Statement st = conn.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO events (id, occurred_at, kind) VALUES (" + id + ", now(), 'issue13-after-maintenance')"))
                    .as("maintenance has ended: the product writes again").isEqualTo(1);
        }

        UpliftJvm.Result rollback = demo.run(demo.args(SHIPPED_CATALOG, "rollback", "--yes"));

        assertThat(rollback.exit()).as(rollback.toString()).isEqualTo(18);
        assertThat(rollback.err()).contains("Rollback refused, nothing was changed").contains("1.1/maintenance-off")
                .contains("would silently discard those changes").contains("uplift resume --home " + demo.home)
                .contains("--discard-writes-after-maintenance");
        assertThat(eventIdsFrom(db, id)).as("the write after maintenance is still there").contains(id);
        UpliftJvm.Result resume = demo.run(demo.args(SHIPPED_CATALOG, "resume", "--yes"));
        assertThat(resume.exit()).as(resume.toString()).isZero();
        assertThat(resume.out()).contains("Lockbox 1.1 is installed.");
        assertThat(eventIdsFrom(db, id)).contains(id);
    }

    @Test
    void issue13_item1_rollbackAfterMaintenanceEndedGoesBackOnlyWithTheExplicitFlagAndSaysWhatItDiscards() throws Exception {
        Demo demo = Demo.prepare(300);
        UpliftJvm held = UpliftJvm.start(demo.work, Map.of("UPLIFT_TEST_HOLD_AT", "1.1/maintenance-off:after"),
                demo.args(SHIPPED_CATALOG, "upgrade", "--to", "1.1", "--yes"));
        try {
            assertThat(held.awaitErr("uplift-test-hold 1.1/maintenance-off:after", STEP_TIMEOUT)).as(held.err()).isTrue();
        } finally {
            held.kill();
        }
        Properties db = demo.databaseProperties();
        long id = NEXT_ID.incrementAndGet();
        try (Connection conn = DriverManager.getConnection(db.getProperty("url"), db); Statement st = conn.createStatement()) {
            st.executeUpdate("INSERT INTO events (id, occurred_at, kind) VALUES (" + id + ", now(), 'issue13-discarded')");
        }

        UpliftJvm.Result rollback = demo.run(demo.args(SHIPPED_CATALOG, "rollback", "--yes", "--discard-writes-after-maintenance"));

        assertThat(rollback.exit()).as(rollback.toString()).isZero();
        assertThat(rollback.out() + rollback.err()).contains("--discard-writes-after-maintenance: step 1.1/maintenance-off");
        assertThat(demo.status(SHIPPED_CATALOG).at("/installedVersion").asText()).isEqualTo("1.0");
        assertThat(eventIdsFrom(db, id)).as("the operator chose to discard the write made after maintenance").isEmpty();
        assertNoGuardLeft(db);
    }

    /** No guard schema, no guard trigger, no read-only default on the product database. */
    private static void assertNoGuardLeft(Properties db) throws SQLException {
        try (Connection conn = DriverManager.getConnection(db.getProperty("url"), db); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = 'uplift_maintenance'),"
                     + " (SELECT count(*) FROM pg_trigger WHERE tgname = 'uplift_maintenance_guard'),"
                     + " (SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
                     + " WHERE d.datname = current_database() AND array_to_string(s.setconfig, ',') LIKE '%read_only%')")) {
            rs.next();
            assertThat(List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3))).as("guard schema, guard triggers, read-only default")
                    .containsExactly(0, 0, 0);
        }
    }

    private static NavigableSet<Long> eventIdsFrom(Properties db, long from) throws SQLException {
        NavigableSet<Long> ids = new TreeSet<>();
        try (Connection conn = DriverManager.getConnection(db.getProperty("url"), db);
             PreparedStatement ps = conn.prepareStatement("SELECT id FROM events WHERE id >= ?")) {
            ps.setLong(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("no " + what + " within " + STEP_TIMEOUT.toSeconds() + " s").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /**
     * A client of the product inserting events in a loop, each in a transaction of its own, and
     * recording the ids whose commit the server acknowledged. It keeps one connection as long as the
     * server lets it, and reconnects when it is cut. {@code turnsReadOnlyOff}: before each write it
     * switches read-only off for the session and the transaction, as a careless driver or pool would.
     */
    private static final class Writer implements AutoCloseable {
        final String name;
        final Set<Long> ackedIds = new ConcurrentSkipListSet<>();
        /** "SQLSTATE message" of each failed write, in order. */
        final List<String> errors = new CopyOnWriteArrayList<>();
        private final Properties db;
        private final boolean turnsReadOnlyOff;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Writer(String name, Properties db, boolean turnsReadOnlyOff) {
            this.name = name;
            this.db = db;
            this.turnsReadOnlyOff = turnsReadOnlyOff;
            this.thread = new Thread(this::loop, "writer-" + name);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        int acked() {
            return ackedIds.size();
        }

        int refusedWith(String message) {
            return (int) errors.stream().filter(e -> e.startsWith("25006") && e.contains(message)).count();
        }

        String errorSummary() {
            Map<String, Integer> counts = new java.util.TreeMap<>();
            errors.forEach(e -> counts.merge(e.length() > 120 ? e.substring(0, 120) : e, 1, Integer::sum));
            return counts.toString();
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thread.isAlive()).as(name + " stopped").isFalse();
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }

        private void loop() {
            Connection conn = null;
            while (!stop.get()) {
                long id = NEXT_ID.incrementAndGet();
                try {
                    if (conn == null || conn.isClosed()) {
                        conn = DriverManager.getConnection(db.getProperty("url"), db);
                    }
                    write(conn, id);
                    ackedIds.add(id);
                } catch (SQLException e) {
                    errors.add(e.getSQLState() + " " + e.getMessage());
                    conn = dropIfBroken(conn);
                }
                pace();
            }
            closeQuietly(conn);
        }

        private void write(Connection conn, long id) throws SQLException {
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                if (turnsReadOnlyOff) {
                    st.execute("SET SESSION default_transaction_read_only = off");
                    st.execute("SET transaction_read_only = off");
                }
                st.executeUpdate("INSERT INTO events (id, occurred_at, kind) VALUES (" + id + ", now(), 'issue13-" + name + "')");
                conn.commit();
            } catch (SQLException e) {
                try {
                    conn.rollback();
                } catch (SQLException ignored) {
                    // The connection is gone; the write was not acknowledged either way.
                }
                throw e;
            }
        }

        private static Connection dropIfBroken(Connection conn) {
            try {
                if (conn != null && !conn.isValid(2)) {
                    closeQuietly(conn);
                    return null;
                }
            } catch (SQLException e) {
                closeQuietly(conn);
                return null;
            }
            return conn;
        }

        private static void closeQuietly(Connection conn) {
            try {
                if (conn != null) {
                    conn.close();
                }
            } catch (SQLException ignored) {
                // Nothing to keep.
            }
        }

        /** A client's pace, not a synchronisation: a few hundred writes a second would only load the two cores. */
        private static void pace() {
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
