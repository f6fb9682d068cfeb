package io.uplift.upgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.journal.HomeLock;
import io.uplift.testsupport.UpliftJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the locks of a running upgrade against what runs beside it (item 15), and a failed
 * step's own exit code (item 16). Real Lockbox demos on PostgreSQL, the upgrade in a child JVM.
 */
class Issue13LockingIT {
    /** "Uplift" in ASCII: the key of the upgrade's advisory lock (upgrade/DatabaseLock). */
    private static final long ADVISORY_KEY = 0x55706c696674L;

    @AfterAll
    static void stopEveryDemoServer() {
        Demo.stopAll();
    }

    @Test
    void issue13_item15_statusRunningInALoopBesideTheUpgradeNeverMakesItFail() throws Exception {
        Demo demo = Demo.prepare();
        Path lockFile = demo.home.resolve(".uplift/lock");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong probes = new AtomicLong();
        // What 'uplift status' does to find out whether an upgrade runs, as fast as one process can do it...
        CompletableFuture<Void> probing = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                HomeLock.holder(lockFile);
                probes.incrementAndGet();
            }
        });
        // ...and the real 'uplift status', one process after the other.
        List<UpliftJvm.Result> statuses = new ArrayList<>();
        CompletableFuture<Void> statusLoop = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                statuses.add(demo.run(demo.args(Optional.empty(), "status", "--json")));
            }
        });
        List<UpliftJvm.Result> runs = new ArrayList<>();
        try {
            // Each takes the home lock the way the upgrade does, then finds nothing in progress (exit 21).
            for (int i = 0; i < 12; i++) {
                runs.add(demo.run(demo.args(Optional.empty(), "resume", "--yes")));
            }
            runs.add(demo.run(demo.args(Optional.empty(), "upgrade", "--to", "1.1", "--yes")));
        } finally {
            stop.set(true);
            probing.get(30, TimeUnit.SECONDS);
            statusLoop.get(3, TimeUnit.MINUTES);
        }

        assertThat(probes.get()).as("status probes beside the upgrade").isGreaterThan(1000);
        assertThat(statuses).as("status runs").isNotEmpty().allSatisfy(r -> assertThat(r.exit()).as(r.toString()).isZero());
        for (UpliftJvm.Result r : runs.subList(0, runs.size() - 1)) {
            assertThat(r.exit()).as(r.toString()).isEqualTo(21);
        }
        UpliftJvm.Result upgrade = runs.get(runs.size() - 1);
        assertThat(upgrade.exit()).as(upgrade.toString()).isZero();
        assertThat(demo.status(Optional.empty()).at("/installedVersion").asText()).isEqualTo("1.1");
    }

    @Test
    void issue13_item15_afterTheDatabaseMoveTheUpgradeHoldsTheDatabaseLockOnTheNewServer() throws Exception {
        Demo demo = Demo.prepare();
        int oldPort = Demo.port(demo.databaseProperties().getProperty("url"));
        UpliftJvm upgrade = UpliftJvm.start(demo.work, Map.of("UPLIFT_TEST_HOLD_AT", "3.0/migrate-schema:before"),
                demo.args(Optional.empty(), "upgrade", "--to", "3.0", "--yes"));
        boolean lockedElsewhere;
        String url;
        try {
            upgrade.awaitWhileRunning("the hold point after the move", Duration.ofMinutes(5),
                    () -> upgrade.err().contains("uplift-test-hold 3.0/migrate-schema:before"));
            Properties p = demo.databaseProperties();
            url = p.getProperty("url");
            // A second Uplift session on the server the product database is on now, as another node would open it.
            try (Connection conn = DriverManager.getConnection(url, p.getProperty("user"), p.getProperty("password"));
                 Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + ADVISORY_KEY + ")")) {
                rs.next();
                lockedElsewhere = !rs.getBoolean(1);
            }
            upgrade.signal("KILL");
            assertThat(upgrade.exitsWithin(Duration.ofSeconds(30))).isTrue();
        } finally {
            upgrade.kill();
        }
        // The rollback undoes the move with the lock following the database back to the old server.
        UpliftJvm.Result rollback = demo.run(demo.args(Optional.empty(), "rollback", "--yes"));

        assertThat(Demo.port(url)).as("the database is on the new server").isNotEqualTo(oldPort);
        assertThat(lockedElsewhere).as("the upgrade's advisory lock is held on the new server while the later steps run").isTrue();
        assertThat(rollback.exit()).as(rollback.toString()).isZero();
        assertThat(Demo.port(demo.databaseProperties().getProperty("url"))).as("back on the old server").isEqualTo(oldPort);
        assertThat(demo.status(Optional.empty()).at("/installedVersion").asText()).isEqualTo("1.0");
    }

    @Test
    void issue13_item16_aReleaseThatStopsMatchingItsChecksumDuringTheUpgradeExitsNineteenAndKeepsTheJournal() throws Exception {
        Demo demo = Demo.prepare();
        Path catalog = Demo.catalogCopy(c -> { });
        Optional<Path> c = Optional.of(catalog);
        UpliftJvm upgrade = UpliftJvm.start(demo.work, Map.of(), demo.args(c, "upgrade", "--to", "1.1", "--yes"));
        UpliftJvm.Result r;
        try {
            // The checks passed the package; it changes before it is staged (a disk failing, a hand in the catalog).
            upgrade.awaitWhileRunning("the end of the checks", Duration.ofMinutes(2), () -> demo.stepStatus("1.1/checks").equals("DONE"));
            assertThat(demo.stepStatus("1.1/stage-program-files")).as("tampered before staging").isEqualTo("PENDING");
            Files.writeString(catalog.resolve("releases/1.1/app/README.txt"), "Lockbox 1.1, with one byte too many.\n", StandardCharsets.UTF_8);
            r = upgrade.awaitExit(Duration.ofMinutes(3));
        } finally {
            upgrade.kill();
        }

        assertThat(r.exit()).as(r.toString()).isEqualTo(19);
        assertThat(r.err()).contains("1.1/stage-program-files").contains("checksum").contains("uplift resume").contains("uplift rollback");
        assertThat(demo.journal().orElseThrow().get("state").asText()).as("the journal keeps the state").isEqualTo("FAILED");
        assertThat(demo.stepStatus("1.1/stage-program-files")).isEqualTo("FAILED");
        UpliftJvm.Result rollback = demo.run(demo.args(c, "rollback", "--yes"));
        assertThat(rollback.exit()).as(rollback.toString()).isZero();
    }

    /** The commands that now take the lock and refuse an unfinished upgrade still do their work once it is done. */
    @Test
    void tasksRunAndCleanupStillWorkOnceTheUpgradeIsDone() {
        Demo demo = Demo.prepare();
        UpliftJvm.Result upgrade = demo.run(demo.args(Optional.empty(), "upgrade", "--to", "3.0", "--yes"));
        assertThat(upgrade.exit()).as(upgrade.toString()).isZero();
        assertThat(Files.isDirectory(demo.home.resolve("db/pg10"))).as("the old server, left by the move").isTrue();

        UpliftJvm.Result tasks = demo.run(demo.args(Optional.empty(), "tasks", "run", "--yes"));
        UpliftJvm.Result cleanup = demo.run(demo.args(Optional.empty(), "cleanup", "--yes"));

        assertThat(tasks.exit()).as(tasks.toString()).isZero();
        assertThat(tasks.out()).contains("update-taxonomies").contains("ran");
        assertThat(demo.status(Optional.empty()).at("/pendingTasks").toString()).doesNotContain("update-taxonomies");
        assertThat(cleanup.exit()).as(cleanup.toString()).isZero();
        assertThat(cleanup.out()).contains("removed " + demo.home.resolve("db/pg10"));
        assertThat(demo.home.resolve("db/pg10")).doesNotExist();
    }
}
