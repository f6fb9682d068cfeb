package io.uplift.upgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.backup.Backups;
import io.uplift.db.Jdbc;
import io.uplift.db.PgTools;
import io.uplift.api.ProgressListener;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.NodeLocalFiles;
import io.uplift.testsupport.SmallDisk;
import io.uplift.testsupport.TestPostgres;
import io.uplift.testsupport.UpliftJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, "Also": a disk that fills up in the middle of a step, not before it. Each test puts the
 * folder a command writes to on a small tmpfs ({@link SmallDisk}) that the step's free-space check
 * lets through but the writing then fills: the command must stop with a clear error and its
 * documented exit code, leave nothing half-written that a later command takes for done, and finish
 * when run again once there is room (the tmpfs made bigger, as an operator frees space).
 */
class FullDiskIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MB = 1024 * 1024;
    private static final Optional<Path> SHIPPED_CATALOG = Optional.empty();

    @AfterAll
    static void stopEveryDemoServer() {
        Demo.stopAll();
    }

    /**
     * The backup's room check counts bytes (database size, plus app/, config/ and data/, plus 20 %),
     * while a file system hands out whole blocks: data/ holding many one-byte files (index shards,
     * say) takes a page each on the tmpfs, so the copy needs far more than the check expected. The
     * disk is sized from the real installation: the check passes with 1 MB to spare, and the copy
     * of data/ alone needs more than the whole disk.
     */
    @Test
    void issue13_alsoFullDisk_aBackupThatFillsTheDiskLeavesNoBackupAndResumeFinishesTheUpgrade() throws Exception {
        Demo demo = Demo.prepare();
        InstallationState managed = Installation.open(demo.home).state();
        // An external (unmanaged) database server: the backup is a pg_dump. The demo's server keeps running.
        Installation.record(demo.home, withManaged(managed, null));
        try {
            long estimate = (long) ((databaseBytes(demo) + bytesUnder(demo.home, "app", "config", "data")) * 1.2);
            long diskBytes = SmallDisk.roundUp(estimate + MB);
            int smallFiles = (int) (diskBytes / SmallDisk.PAGE) + 64;
            Path shards = Files.createDirectories(demo.home.resolve("data/index-shards"));
            for (int i = 0; i < smallFiles; i++) {
                Files.writeString(shards.resolve("shard-" + i), Integer.toString(i % 10));
            }
            Map<String, String> home = Snapshots.home(demo.home, false);
            Map<String, String> database = Snapshots.database(demo.databaseProperties().getProperty("url"), demo.databaseProperties());

            try (SmallDisk disk = SmallDisk.mount(TestPostgres.newTraversableTempDir().resolve("small"), diskBytes)) {
                String backups = disk.dir().resolve("backups").toString();
                UpliftJvm.Result failed = demo.run("backup", "--home", demo.home.toString(), "--backup-dir", backups);

                System.out.println("[FullDiskIT] backup on a full disk: " + errorLines(failed));
                assertThat(failed.exit()).as(failed.toString()).isEqualTo(17);
                assertThat(failed.err()).as(failed.toString())
                        .contains("The disk at " + backups + " is full")
                        .contains("No space left on device")
                        .contains("nothing of the installation was changed")
                        .containsPattern("[0-9]+ MB free")
                        .doesNotContain("\tat io.uplift");
                assertNoBackupIn(demo, backups);
                assertThat(Snapshots.home(demo.home, false)).as("the home after the failed backup").isEqualTo(home);

                UpliftJvm.Result upgrade = demo.run(demo.args(SHIPPED_CATALOG, "upgrade", "--to", "1.1", "--yes", "--backup-dir", backups));

                assertThat(upgrade.exit()).as(upgrade.toString()).isEqualTo(18);
                assertThat(upgrade.err()).contains("Step 1.1/backup").contains("The disk at " + backups + " is full")
                        .contains("uplift resume");
                assertThat(demo.stepStatus("1.1/backup")).isEqualTo("FAILED");
                assertThat(demo.journal().orElseThrow().get("state").asText()).isEqualTo("FAILED");
                assertThat(Backups.listIn(Path.of(backups))).as("complete backups after the failed step").isEmpty();
                assertNothingIn(Path.of(backups));
                assertThat(Installation.open(demo.home).state().version()).isEqualTo("1.0");
                // Maintenance mode began before the backup and holds until resume or rollback: only the
                // read-only default differs, every table is as it was.
                java.util.Map<String, String> after = new java.util.TreeMap<>(
                        Snapshots.database(demo.databaseProperties().getProperty("url"), demo.databaseProperties()));
                assertThat(after.remove("@settings")).as("the database's settings in maintenance").isEqualTo("default_transaction_read_only=on");
                java.util.Map<String, String> before = new java.util.TreeMap<>(database);
                before.remove("@settings");
                assertThat(after).as("the database after the failed backup step").isEqualTo(before);

                disk.resize(diskBytes + 64 * MB);
                UpliftJvm.Result resumed = demo.run("resume", "--yes", "--home", demo.home.toString());

                assertThat(resumed.exit()).as(resumed.toString()).isZero();
                assertThat(resumed.out()).contains("Lockbox 1.1 is installed.");
                assertThat(Installation.open(demo.home).state().version()).isEqualTo("1.1");
                UpliftJvm.Result list = demo.run("backup", "--home", demo.home.toString(), "--backup-dir", backups, "--list");
                Matcher listed = Pattern.compile("\\d{8}T\\d{6}Z-lockbox-1\\.0\\S*").matcher(list.out());
                assertThat(listed.find()).as("the backup the resumed upgrade took, in\n" + list).isTrue();
                String id = listed.group();
                UpliftJvm.Result verified = demo.run("backup", "--home", demo.home.toString(), "--backup-dir", backups, "--verify", id);
                assertThat(verified.exit()).as(verified.toString()).isZero();
                assertThat(NodeLocalFiles.sha256(Path.of(backups, id, "data/index-shards/shard-" + (smallFiles - 1))))
                        .isEqualTo(NodeLocalFiles.sha256(shards.resolve("shard-" + (smallFiles - 1))));
            }
        } finally {
            InstallationState now = Installation.open(demo.home).state();
            Installation.record(demo.home, withManaged(now, managed.managedDatabase()));
        }
    }

    /**
     * pg_dump itself meets the full disk: the dump is the first thing a backup writes, after the one
     * page of its in-progress marker, so a disk of two pages fills during it (the schema alone of a
     * Lockbox dump takes more than a page). The room check, which would refuse such a disk, is told
     * there is room (the one fake here): it is the dump's own failure that is under test, with the
     * real pg_dump writing to the real small disk.
     */
    @Test
    void issue13_alsoFullDisk_aDumpThatFillsTheDiskIsReportedAsAFullDiskAndLeavesNoBackup() throws Exception {
        Demo demo = Demo.prepare();
        InstallationState managed = Installation.open(demo.home).state();
        Installation.record(demo.home, withManaged(managed, null));
        try (SmallDisk disk = SmallDisk.mount(TestPostgres.newTraversableTempDir().resolve("tiny"), 2 * SmallDisk.PAGE)) {
            Path root = disk.dir().resolve("backups");
            Backups backups = new Backups(root, PgTools.locate(Optional.empty()), folder -> Long.MAX_VALUE, 3, Clock.systemUTC());

            Throwable failure = catchThrowable(() -> backups.create(Installation.open(demo.home), ProgressListener.NONE));

            System.out.println("[FullDiskIT] dump on a full disk: " + failure.getMessage());
            assertThat(failure).isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_FAILED))
                    .hasMessageContaining("The disk at " + root + " is full (No space left on device")
                    .hasMessageContaining("The unfinished backup was removed");
            assertThat(failure.getCause()).as("pg_dump's own report is kept as the cause").hasMessageContaining("pg_dump");
            assertThat(Backups.listIn(root)).isEmpty();
            try (Stream<Path> left = Files.list(root)) {
                assertThat(left.toList()).as("nothing left in the backup folder, not even a .partial").isEmpty();
            }
        } finally {
            Installation.record(demo.home, withManaged(Installation.open(demo.home).state(), managed.managedDatabase()));
        }
    }

    /**
     * The export of a move with --compression none is as big as the table data; on a disk of 1 MB it
     * fills the disk in the middle of a chunk file.
     */
    @Test
    void issue13_alsoFullDisk_anExportThatFillsTheDiskWritesNoManifestAndTheResumedMoveCompletesAnImportableExport() throws Exception {
        TestPostgres.Database source = TestPostgres.v10().newDatabase();
        try (Connection c = connect(source); Statement st = c.createStatement()) {
            // About 4 MB of table data: rows of 1 KB that no compression is asked to shrink.
            st.execute("CREATE TABLE blobs (id int PRIMARY KEY, body bytea NOT NULL)");
            st.execute("INSERT INTO blobs SELECT g, decode(repeat(md5(g::text), 64), 'hex') FROM generate_series(1, 4000) g");
            st.execute("CREATE TABLE notes (id int PRIMARY KEY, note text NOT NULL)");
            st.execute("INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 2000) g");
        }
        Map<String, String> sourceSums = checksums(source);
        TestPostgres.Database target = TestPostgres.v16().newDatabase();
        Path work = TestPostgres.newTraversableTempDir();
        List<String> move = List.of("db", "move", "--source", url(source), "--target", url(target), "--threads", "1",
                "--compression", "none", "--yes");

        try (SmallDisk disk = SmallDisk.mount(work.resolve("small"), MB)) {
            Path export = disk.dir().resolve("export");
            UpliftJvm.Result failed = UpliftJvm.run(work, Duration.ofMinutes(3), concat(move, "--export-dir", export.toString()));

            System.out.println("[FullDiskIT] export on a full disk: " + errorLines(failed));
            assertThat(failed.exit()).as(failed.toString()).isEqualTo(23);
            assertThat(failed.err()).as(failed.toString())
                    .contains("The disk at " + export + " is full")
                    .contains("No space left on device")
                    .contains("--resume")
                    .doesNotContain("\tat io.uplift");
            assertThat(export.resolve("manifest.json")).doesNotExist();
            assertEveryRecordedFileIsComplete(export);

            disk.resize(64 * MB);
            UpliftJvm.Result resumed = UpliftJvm.run(work, Duration.ofMinutes(3),
                    concat(move, "--export-dir", export.toString(), "--resume"));

            assertThat(resumed.exit()).as(resumed.toString()).isZero();
            assertThat(resumed.out()).contains("Validation passed", "Export written: " + export);
            try (Stream<Path> all = Files.walk(export)) {
                assertThat(all.map(Path::toString).filter(p -> p.endsWith(".partial")).toList()).isEmpty();
            }
            TestPostgres.Database imported = TestPostgres.v16().newDatabase();
            UpliftJvm.Result importRun = UpliftJvm.run(work, Duration.ofMinutes(3), "db", "import", export.toString(), "--target",
                    url(imported), "--yes");
            assertThat(importRun.exit()).as(importRun.toString()).isZero();
            assertThat(checksums(imported)).isEqualTo(sourceSums);
            assertThat(checksums(target)).isEqualTo(sourceSums);
        }
    }

    private static void assertNoBackupIn(Demo demo, String backups) throws IOException {
        UpliftJvm.Result list = demo.run("backup", "--home", demo.home.toString(), "--backup-dir", backups, "--list");
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out()).contains("No complete backups in " + backups);
        assertNothingIn(Path.of(backups));
    }

    private static void assertNothingIn(Path backups) throws IOException {
        if (Files.isDirectory(backups)) {
            try (Stream<Path> left = Files.list(backups)) {
                assertThat(left.toList()).as("nothing left in the backup folder, not even a .partial").isEmpty();
            }
        }
    }

    /** Each file the export's progress file names is there whole: its size and SHA-256 are what was recorded. */
    private static void assertEveryRecordedFileIsComplete(Path export) throws IOException {
        Path progress = export.resolve(".export-progress.jsonl");
        if (!Files.exists(progress)) {
            return;
        }
        for (String line : Files.readAllLines(progress, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode w = JSON.readTree(line);
            Path file = export.resolve(w.get("file").asText());
            assertThat(file).as(line).isRegularFile();
            assertThat(Files.size(file)).as(line).isEqualTo(w.get("bytes").asLong());
            assertThat(NodeLocalFiles.sha256(file)).as(line).contains(w.get("sha256").asText());
        }
    }

    private static InstallationState withManaged(InstallationState s, io.uplift.install.ManagedDatabase m) {
        return new InstallationState(s.product(), s.version(), s.catalog(), s.serviceAccount(), s.nodeLocalFiles(), m, s.pendingTasks());
    }

    private static long databaseBytes(Demo demo) throws SQLException {
        Properties p = demo.databaseProperties();
        try (Connection c = Jdbc.connect(p.getProperty("url"), p.getProperty("user"), p.getProperty("password"));
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long bytesUnder(Path home, String... folders) throws IOException {
        long sum = 0;
        for (String f : folders) {
            try (Stream<Path> walk = Files.walk(home.resolve(f))) {
                sum += walk.filter(Files::isRegularFile).mapToLong(p -> {
                    try {
                        return Files.size(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).sum();
            }
        }
        return sum;
    }

    private static Connection connect(TestPostgres.Database db) {
        return Jdbc.connect(db.jdbcUrl(), db.user(), db.password());
    }

    private static String url(TestPostgres.Database db) {
        return db.jdbcUrl().replace("jdbc:postgresql://", "postgresql://" + db.user() + ":" + db.password() + "@");
    }

    private static Map<String, String> checksums(TestPostgres.Database db) throws SQLException {
        Map<String, String> sums = new TreeMap<>();
        try (Connection c = connect(db); Statement st = c.createStatement()) {
            for (String t : List.of("blobs", "notes")) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ' ' || md5(string_agg(x::text, '|' ORDER BY x.id)) FROM "
                        + t + " x")) {
                    rs.next();
                    sums.put(t, rs.getString(1));
                }
            }
        }
        return sums;
    }

    private static List<String> errorLines(UpliftJvm.Result r) {
        return r.err().lines().filter(l -> l.startsWith("error:")).toList();
    }

    private static List<String> concat(List<String> head, String... tail) {
        return Stream.concat(head.stream(), Stream.of(tail)).toList();
    }
}
