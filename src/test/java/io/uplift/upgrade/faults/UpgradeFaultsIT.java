package io.uplift.upgrade.faults;

import io.uplift.testsupport.UpliftJvm;
import io.uplift.testsupport.TcpProxy;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Faults and bad input around 'uplift upgrade' (issue 3, acceptance bullets 2 to 4): signals, a
 * tampered release, a full backup disk, a cut database connection, a second upgrade, nothing to
 * resume, no terminal. Each test makes its own Lockbox 1.0 demo on PostgreSQL 10 and drives the real
 * command line in child JVMs, as an operator would.
 */
class UpgradeFaultsIT {
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);
    private static final Optional<Path> SHIPPED_CATALOG = Optional.empty();

    @AfterAll
    static void stopEveryDemoServer() throws Exception {
        Demo.stopAll();
        Process pgrep = new ProcessBuilder("pgrep", "-af", "postgres -D " + Path.of("/tmp", "uplift-test-pg-" + ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        String left = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        pgrep.waitFor(10, TimeUnit.SECONDS);
        assertThat(left.lines().filter(l -> l.contains("/lockbox/db/")).toList()).as("demo servers left running").isEmpty();
    }

    @Test
    void ctrlCDuringTheMigrationStepPausesWithinTenSecondsAndThePrintedResumeCommandFinishes() {
        Demo demo = Demo.prepare();
        Path catalog = Demo.slowMigrationCatalog();
        Optional<Path> c = Optional.of(catalog);
        Map<String, String> nodeLocal = Snapshots.nodeLocalFiles(demo.home);

        UpliftJvm upgrade = UpliftJvm.start(demo.work, Map.of(), demo.args(c, "upgrade", "--to", "2.1", "--yes"));
        UpliftJvm.Result paused;
        try {
            upgrade.awaitWhileRunning("step 2.1/migrate-schema STARTED in the journal", STEP_TIMEOUT,
                    () -> demo.stepStatus("2.1/migrate-schema").equals("STARTED"));
            upgrade.signal("INT");
            assertThat(upgrade.exitsWithin(Duration.ofSeconds(10))).as("exited within 10 s of SIGINT\n" + upgrade.err()).isTrue();
            paused = upgrade.awaitExit(Duration.ofSeconds(1));
        } finally {
            upgrade.kill();
        }

        assertThat(paused.exit()).as(paused.toString()).isEqualTo(20);
        assertThat(paused.err()).contains("SIGINT received");
        assertThat(paused.out()).as("the migration step finished, never cut in half").contains("Paused before step 2.1/swap-program-files.");
        JsonNode journal = demo.journal().orElseThrow();
        assertThat(journal.get("state").asText()).isEqualTo("PAUSED");
        assertThat(demo.stepStatus("2.1/migrate-schema")).isEqualTo("DONE");
        JsonNode status = demo.status(c);
        assertThat(status.at("/upgrade/state").asText()).isEqualTo("interrupted");
        assertThat(status.at("/upgrade/detail").asText()).contains("paused").contains("before 2.1/swap-program-files");
        assertThat(status.at("/installedVersion").asText()).isEqualTo("1.1");
        assertThat(status.at("/schemaVersion").asText()).isEqualTo("2.1.0.900");

        UpliftJvm.Result resumed = demo.run(printedCommand(paused.out(), "resume", "--yes"));
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("Lockbox 2.1 is installed.");
        assertInstalled(demo, c, "2.1", "2.1.0.900");
        assertThat(Snapshots.nodeLocalFiles(demo.home)).as("node-local files after upgrade and resume").isEqualTo(nodeLocal);
    }

    @Test
    void sigtermDuringTheBackupPausesAfterItAndResumeFinishes() {
        Demo demo = Demo.prepare();
        Map<String, String> nodeLocal = Snapshots.nodeLocalFiles(demo.home);

        UpliftJvm upgrade = UpliftJvm.start(demo.work, Map.of(), demo.args(SHIPPED_CATALOG, "upgrade", "--to", "2.1", "--yes"));
        UpliftJvm.Result paused;
        try {
            upgrade.awaitWhileRunning("step 1.1/backup STARTED in the journal", STEP_TIMEOUT,
                    () -> demo.stepStatus("1.1/backup").equals("STARTED"));
            upgrade.signal("TERM");
            assertThat(upgrade.exitsWithin(Duration.ofSeconds(10))).as("exited within 10 s of SIGTERM\n" + upgrade.err()).isTrue();
            paused = upgrade.awaitExit(Duration.ofSeconds(1));
        } finally {
            upgrade.kill();
        }

        assertThat(paused.exit()).as(paused.toString()).isEqualTo(20);
        assertThat(paused.err()).contains("SIGTERM received");
        assertThat(paused.out()).contains("Paused before step ").contains("Nothing is half done.");
        JsonNode journal = demo.journal().orElseThrow();
        assertThat(journal.get("state").asText()).isEqualTo("PAUSED");
        assertThat(demo.stepStatus("1.1/backup")).as("the backup was finished, not cut").isEqualTo("DONE");
        assertThat(journal.get("backupId").asText()).isNotBlank();
        assertThat(demo.status(SHIPPED_CATALOG).at("/upgrade/state").asText()).isEqualTo("interrupted");

        UpliftJvm.Result resumed = demo.run(printedCommand(paused.out(), "resume", "--yes"));
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("1.1/backup").contains("already done").contains("Lockbox 2.1 is installed.");
        assertInstalled(demo, SHIPPED_CATALOG, "2.1", "2.1.0.001");
        assertThat(Snapshots.nodeLocalFiles(demo.home)).as("node-local files after upgrade and resume").isEqualTo(nodeLocal);
    }

    @Test
    void aReleasePackageThatDoesNotMatchItsChecksumIsRefusedBeforeAnyChange() {
        Demo demo = Demo.prepare();
        Path catalog = Demo.catalogCopy(cat -> Demo.write(cat.resolve("releases/2.1/app/README.txt"), "Lockbox 2.1, with one byte too many.\n"));
        Optional<Path> c = Optional.of(catalog);
        Before before = Before.take(demo);

        UpliftJvm.Result r = demo.run(demo.args(c, "upgrade", "--to", "2.1", "--yes"));

        assertThat(r.exit()).as(r.toString()).isEqualTo(4);
        assertThat(r.err()).contains("The upgrade did not start, nothing was changed")
                .contains("Release packages: the program files of 2.1 (")
                .contains("do not match the checksum in the catalog");
        before.assertNothingChanged(demo);
    }

    @Test
    void aBackupLocationWithoutRoomIsRefusedBeforeAnyChange() throws Exception {
        Demo demo = Demo.prepare();
        Path full = TestPostgres.newTraversableTempDir().resolve("one-megabyte");
        Files.createDirectories(full);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", full.toString()).redirectErrorStream(true).start();
        String mountOutput = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Assumptions.assumeTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0,
                () -> "a 1 MB tmpfs is the backup disk without room, and this machine does not let the tests mount one "
                        + "(mount -t tmpfs needs root or CAP_SYS_ADMIN): " + mountOutput.trim());
        try {
            Before before = Before.take(demo);

            UpliftJvm.Result r = demo.run(demo.args(SHIPPED_CATALOG, "upgrade", "--to", "2.1", "--yes", "--backup-dir", full.toString()));

            assertThat(r.exit()).as(r.toString()).isEqualTo(4);
            assertThat(r.err()).contains("The upgrade did not start, nothing was changed")
                    .contains("Free disk for the backup: ").contains(" free at " + full + ", the backup needs about ");
            try (Stream<Path> inside = Files.list(full)) {
                assertThat(inside.toList()).as("nothing written to the backup location").isEmpty();
            }
            before.assertNothingChanged(demo);
        } finally {
            Process umount = new ProcessBuilder("umount", full.toString()).inheritIO().start();
            assertThat(umount.waitFor(30, TimeUnit.SECONDS) && umount.exitValue() == 0).as("umount " + full).isTrue();
        }
    }

    @Test
    void aDatabaseConnectionCutInTheMiddleOfTheMigrationsFailsTheStepAndResumeFinishes() throws Exception {
        Demo demo = Demo.prepare();
        Path catalog = Demo.slowMigrationCatalog();
        Optional<Path> c = Optional.of(catalog);
        Properties real = demo.databaseProperties();
        String realUrl = real.getProperty("url");
        int realPort = Demo.port(realUrl);
        Path settings = demo.home.resolve("config/database.properties");

        try (TcpProxy proxy = new TcpProxy(realPort)) {
            String text = Files.readString(settings, StandardCharsets.ISO_8859_1);
            String viaProxy = text.replace("127.0.0.1\\:" + realPort + "/", "127.0.0.1\\:" + proxy.port() + "/");
            assertThat(viaProxy).isNotEqualTo(text);
            Files.writeString(settings, viaProxy, StandardCharsets.ISO_8859_1);
            Properties edited = demo.databaseProperties();
            assertThat(edited.getProperty("url")).isEqualTo(realUrl.replace(":" + realPort + "/", ":" + proxy.port() + "/"));
            assertThat(edited.getProperty("user")).isEqualTo(real.getProperty("user"));
            assertThat(edited.getProperty("password")).isEqualTo(real.getProperty("password"));
            Map<String, String> nodeLocal = Snapshots.nodeLocalFiles(demo.home);

            UpliftJvm upgrade = UpliftJvm.start(demo.work, Map.of(), demo.args(c, "upgrade", "--to", "2.1", "--yes"));
            UpliftJvm.Result failed;
            try {
                upgrade.awaitWhileRunning("step 2.1/migrate-schema STARTED in the journal", STEP_TIMEOUT,
                        () -> demo.stepStatus("2.1/migrate-schema").equals("STARTED"));
                upgrade.awaitWhileRunning("the slow migration running on the server", STEP_TIMEOUT,
                        () -> slowMigrationRunning(realUrl, real));
                proxy.pause();
                proxy.cutAll();
                failed = upgrade.awaitExit(Duration.ofSeconds(60));
            } finally {
                upgrade.kill();
                proxy.resume();
            }

            assertThat(proxy.accepted()).as("the upgrade went through the proxy").isPositive();
            assertThat(failed.exit()).as(failed.toString()).isEqualTo(18);
            assertThat(failed.err()).contains("Step 2.1/migrate-schema (Apply the schema migrations) failed: ")
                    .contains("Nothing is lost").contains("run 'uplift resume --home " + demo.home);
            assertThat(demo.journal().orElseThrow().get("state").asText()).isEqualTo("FAILED");
            assertThat(demo.stepStatus("2.1/migrate-schema")).isEqualTo("FAILED");
            assertThat(Snapshots.schemaVersion(realUrl, real)).as("the migration group was rolled back as one").isEqualTo("1.1.0.001");
            JsonNode status = demo.status(c);
            assertThat(status.at("/upgrade/state").asText()).isEqualTo("interrupted");
            assertThat(status.at("/upgrade/detail").asText()).contains("stopped in 2.1/migrate-schema (failed)");

            UpliftJvm.Result resumed = demo.run(printedCommand(failed.err(), "resume", "--yes"));
            assertThat(resumed.exit()).as(resumed.toString()).isZero();
            assertThat(resumed.out()).contains("Lockbox 2.1 is installed.");
            assertInstalled(demo, c, "2.1", "2.1.0.900");
            assertThat(Snapshots.schemaVersion(realUrl, real)).isEqualTo("2.1.0.900");
            assertThat(Snapshots.nodeLocalFiles(demo.home)).as("node-local files (as edited before the upgrade)").isEqualTo(nodeLocal);
        }
    }

    @Test
    void aSecondUpgradeOrResumeWhileOneRunsIsRefusedNamingTheHolderAndResumeFinishesAfterAKill() {
        Demo demo = Demo.prepare();
        Map<String, String> nodeLocal = Snapshots.nodeLocalFiles(demo.home);

        UpliftJvm first = UpliftJvm.start(demo.work, Map.of("UPLIFT_TEST_HOLD_AT", "2.1/migrate-schema:before"),
                demo.args(SHIPPED_CATALOG, "upgrade", "--to", "2.1", "--yes"));
        try {
            first.awaitWhileRunning("the hold point", STEP_TIMEOUT, () -> first.err().contains("uplift-test-hold 2.1/migrate-schema:before"));

            UpliftJvm.Result second = demo.run(demo.args(SHIPPED_CATALOG, "upgrade", "--to", "2.1", "--yes"));
            assertThat(second.exit()).as(second.toString()).isEqualTo(15);
            assertThat(second.err()).contains("Another Uplift command is working on this installation: pid " + first.pid() + " on ")
                    .contains("'uplift upgrade --to 2.1'");
            UpliftJvm.Result resume = demo.run(demo.args(SHIPPED_CATALOG, "resume", "--yes"));
            assertThat(resume.exit()).as(resume.toString()).isEqualTo(15);
            assertThat(resume.err()).contains("pid " + first.pid() + " on ");
            JsonNode status = demo.status(SHIPPED_CATALOG);
            assertThat(status.at("/upgrade/state").asText()).isEqualTo("running");
            assertThat(status.at("/upgrade/detail").asText()).contains("pid " + first.pid());

            first.signal("KILL");
            assertThat(first.exitsWithin(Duration.ofSeconds(30))).isTrue();
        } finally {
            first.kill();
        }
        assertThat(demo.journal().orElseThrow().get("state").asText()).as("a killed upgrade leaves its journal as it was").isEqualTo("RUNNING");
        JsonNode interrupted = demo.status(SHIPPED_CATALOG);
        assertThat(interrupted.at("/upgrade/state").asText()).isEqualTo("interrupted");
        assertThat(interrupted.at("/upgrade/detail").asText()).contains("running").contains("2.1/migrate-schema");

        UpliftJvm.Result resumed = demo.run(demo.args(SHIPPED_CATALOG, "resume", "--yes"));
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertInstalled(demo, SHIPPED_CATALOG, "2.1", "2.1.0.001");
        assertThat(Snapshots.nodeLocalFiles(demo.home)).as("node-local files after upgrade, kill and resume").isEqualTo(nodeLocal);
    }

    @Test
    void statusShowsWhereTheDatabaseMoveWasWhenTheUpgradeWasKilledAndResumeFinishes() throws Exception {
        Demo demo = Demo.prepare(300_000);
        Path report = demo.home.resolve(".uplift/progress.json");
        UpliftJvm upgrade = UpliftJvm.start(demo.work, Map.of(), demo.args(SHIPPED_CATALOG, "upgrade", "--to", "3.0", "--yes"));
        try {
            upgrade.awaitWhileRunning("the move's progress report with bytes copied", Duration.ofMinutes(4), () -> {
                JsonNode p = readJson(report);
                return p != null && p.path("step").asText().equals("3.0/move-database") && p.path("done").asLong() > 0;
            });
            upgrade.signal("KILL");
            assertThat(upgrade.exitsWithin(Duration.ofSeconds(30))).isTrue();
        } finally {
            upgrade.kill();
        }

        // Everything runs before any assertion: a failed one must not leave the killed move's new server running.
        JsonNode status = demo.status(SHIPPED_CATALOG);
        UpliftJvm.Result text = demo.run(demo.args(SHIPPED_CATALOG, "status"));
        UpliftJvm.Result resumed = demo.run(demo.args(SHIPPED_CATALOG, "resume", "--yes"));
        JsonNode after = demo.status(SHIPPED_CATALOG);

        assertThat(status.at("/upgrade/state").asText()).isEqualTo("interrupted");
        JsonNode progress = status.at("/upgrade/progress");
        assertThat(progress.path("step").asText()).as(status.toString()).isEqualTo("3.0/move-database");
        assertThat(progress.path("unit").asText()).isEqualTo("bytes");
        assertThat(progress.path("done").asLong()).isPositive();
        assertThat(progress.path("total").asLong()).isGreaterThanOrEqualTo(progress.path("done").asLong());
        // the move's last messages: its phases ("rows: 9 of 9 chunks ...") or its tables ("users: 300 rows, 0 MB copied")
        assertThat(progress.path("recent").toString()).as(progress.toString()).contains("rows");
        assertThat(text.out()).containsPattern("Progress +3\\.0/move-database: \\d+% of [0-9,]+ bytes");

        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(after.at("/installedVersion").asText()).isEqualTo("3.0");
        assertThat(after.at("/upgrade/progress").isNull()).as(after.toString()).isTrue();
        assertThat(Files.exists(report)).as("the report goes with the step").isFalse();
    }

    private static JsonNode readJson(Path file) {
        try {
            return Files.exists(file) ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()) : null;
        } catch (IOException e) {
            return null; // replaced while read
        }
    }

    @Test
    void resumeAndRollbackWithNothingInProgressExitTwentyOneAndChangeNothing() {
        Demo demo = Demo.prepare();
        Map<String, String> before = Snapshots.home(demo.home, false);

        UpliftJvm.Result resume = demo.run(demo.args(SHIPPED_CATALOG, "resume"));
        UpliftJvm.Result rollback = demo.run(demo.args(SHIPPED_CATALOG, "rollback"));

        assertThat(resume.exit()).as(resume.toString()).isEqualTo(21);
        assertThat(resume.out()).contains("No upgrade is in progress in " + demo.home + ": nothing to resume.");
        assertThat(rollback.exit()).as(rollback.toString()).isEqualTo(21);
        assertThat(rollback.out()).contains("No upgrade is in progress in " + demo.home + ": nothing to roll back.");
        assertThat(Snapshots.home(demo.home, false)).isEqualTo(before);
        assertInstalled(demo, SHIPPED_CATALOG, "1.0", "1.0.0.002");
    }

    @Test
    void withoutATerminalAndWithoutYesTheUpgradeRefusesWithSixteenAndChangesNothing() {
        Demo demo = Demo.prepare();
        Before before = Before.take(demo);

        UpliftJvm.Result r = demo.run(demo.args(SHIPPED_CATALOG, "upgrade", "--to", "2.1"));

        assertThat(r.exit()).as(r.toString()).isEqualTo(16);
        assertThat(r.err()).contains("there is no terminal to ask on: pass --yes");
        assertThat(Snapshots.home(demo.home, true)).as("not even the lock file is touched").isEqualTo(before.homeWithLock);
        before.assertNothingChanged(demo);
    }

    @Test
    void aRollbackAfterAKillLeavesTheNodeLocalFilesByteIdenticalAndTheDatabaseAsBefore() throws Exception {
        Demo demo = Demo.prepare();
        // A live installation runs its product; the rollback must leave it running as it found it.
        // (The demo never starts it, and undoing 'stop the services' starts them unconditionally.)
        Process start = new ProcessBuilder("app/bin/lockbox", "start").directory(demo.home.toFile()).redirectErrorStream(true).start();
        assertThat(start.waitFor(30, TimeUnit.SECONDS) && start.exitValue() == 0).as("lockbox start").isTrue();
        try {
            rollbackAfterAKill(demo);
        } finally {
            // Lockbox is a real service: the rollback leaves it running, as it found it; it goes with the test.
            Process stop = new ProcessBuilder("app/bin/lockbox", "stop").directory(demo.home.toFile()).redirectErrorStream(true).start();
            assertThat(stop.waitFor(60, TimeUnit.SECONDS) && stop.exitValue() == 0).as("lockbox stop").isTrue();
        }
    }

    private void rollbackAfterAKill(Demo demo) throws Exception {
        Before before = Before.take(demo);
        Map<String, String> nodeLocal = Snapshots.nodeLocalFiles(demo.home);

        UpliftJvm first = UpliftJvm.start(demo.work, Map.of("UPLIFT_TEST_HOLD_AT", "2.1/record-version:after"),
                demo.args(SHIPPED_CATALOG, "upgrade", "--to", "2.1", "--yes"));
        try {
            first.awaitWhileRunning("the hold point", STEP_TIMEOUT, () -> first.err().contains("uplift-test-hold 2.1/record-version:after"));
            assertThat(Snapshots.nodeLocalFiles(demo.home)).as("node-local files during the upgrade").isEqualTo(nodeLocal);
        } finally {
            first.kill();
        }

        UpliftJvm.Result rolledBack = demo.run(demo.args(SHIPPED_CATALOG, "rollback", "--yes"));

        assertThat(rolledBack.exit()).as(rolledBack.toString()).isZero();
        assertThat(rolledBack.out()).contains("Rolled back: Lockbox 1.0 is installed as before the upgrade.");
        assertInstalled(demo, SHIPPED_CATALOG, "1.0", "1.0.0.002");
        assertThat(Snapshots.nodeLocalFiles(demo.home)).as("node-local files after rollback").isEqualTo(nodeLocal);
        assertThat(Snapshots.database(before.url, before.credentials)).as("database after rollback").isEqualTo(before.database);
        Map<String, String> after = new TreeMap<>(Snapshots.home(demo.home, false));
        after.keySet().removeIf(p -> p.startsWith(".uplift/history") || p.startsWith(".uplift/backups"));
        // The running service's own files (pid, readiness, log) are a new process's after the restart.
        Map<String, String> expected = new TreeMap<>(before.home);
        expected.keySet().removeIf(p -> p.startsWith("data/lockbox."));
        after.keySet().removeIf(p -> p.startsWith("data/lockbox."));
        assertThat(after).as("the home apart from the upgrade's history and backup").isEqualTo(expected);
    }

    @Test
    void aRollbackFindsTheBackupInTheBackupDirTheUpgradeWasGiven() {
        Demo demo = Demo.prepare();
        Path backupDir = TestPostgres.newTraversableTempDir().resolve("backups");
        Map<String, String> nodeLocal = Snapshots.nodeLocalFiles(demo.home);

        UpliftJvm first = UpliftJvm.start(demo.work, Map.of("UPLIFT_TEST_HOLD_AT", "2.1/record-version:after"),
                demo.args(SHIPPED_CATALOG, "upgrade", "--to", "2.1", "--yes", "--backup-dir", backupDir.toString()));
        try {
            first.awaitWhileRunning("the hold point", STEP_TIMEOUT, () -> first.err().contains("uplift-test-hold 2.1/record-version:after"));
        } finally {
            first.kill();
        }

        UpliftJvm.Result rolledBack = demo.run(demo.args(SHIPPED_CATALOG, "rollback", "--yes"));

        assertThat(rolledBack.exit()).as(rolledBack.toString()).isZero();
        assertInstalled(demo, SHIPPED_CATALOG, "1.0", "1.0.0.002");
        assertThat(Snapshots.nodeLocalFiles(demo.home)).isEqualTo(nodeLocal);
    }

    /** The home and the database before a command that must change nothing. */
    private record Before(Map<String, String> home, Map<String, String> homeWithLock, Map<String, String> database, String url,
            Properties credentials) {
        static Before take(Demo demo) {
            Properties p = demo.databaseProperties();
            return new Before(Snapshots.home(demo.home, false), Snapshots.home(demo.home, true),
                    Snapshots.database(p.getProperty("url"), p), p.getProperty("url"), p);
        }

        void assertNothingChanged(Demo demo) {
            assertThat(Files.exists(demo.journalFile())).as("no journal").isFalse();
            Path backups = demo.home.resolve(".uplift/backups");
            if (Files.exists(backups)) {
                try (Stream<Path> inside = Files.list(backups)) {
                    assertThat(inside.toList()).as("no backup").isEmpty();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            assertThat(Snapshots.home(demo.home, false)).as("every file of the home but db/, the lock file and the upgrade log").isEqualTo(home);
            assertThat(Snapshots.database(url, credentials)).as("every table of the database").isEqualTo(database);
            JsonNode status = demo.status(Optional.empty());
            assertThat(status.at("/installedVersion").asText()).isEqualTo("1.0");
            assertThat(status.at("/upgrade/state").asText()).isEqualTo("none");
        }
    }

    private static void assertInstalled(Demo demo, Optional<Path> catalog, String version, String schema) {
        JsonNode status = demo.status(catalog);
        assertThat(status.at("/installedVersion").asText()).as(status.toString()).isEqualTo(version);
        assertThat(status.at("/schemaVersion").asText()).as(status.toString()).isEqualTo(schema);
        assertThat(status.at("/upgrade/state").asText()).as(status.toString()).isEqualTo("none");
        assertThat(Files.exists(demo.journalFile())).as("journal archived").isFalse();
    }

    /**
     * The command the output tells the operator to run ("Run 'uplift resume --home H ...'"), as
     * arguments, plus {@code extra}: running it proves it is exact.
     */
    private static String[] printedCommand(String output, String verb, String... extra) {
        Matcher m = Pattern.compile("'uplift " + verb + " ([^']+)'").matcher(output);
        assertThat(m.find()).as("the output names the '" + verb + "' command:\n" + output).isTrue();
        List<String> args = new ArrayList<>();
        args.add(verb);
        args.addAll(Arrays.asList(m.group(1).trim().split(" +")));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static boolean slowMigrationRunning(String url, Properties credentials) {
        Properties p = new Properties();
        p.setProperty("user", credentials.getProperty("user"));
        p.setProperty("password", credentials.getProperty("password"));
        try (Connection conn = DriverManager.getConnection(url, p); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                        + "AND query LIKE '%pg_sleep(4)%' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
