package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.BackupResult;
import io.uplift.db.PgTools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.api.VerifyResult.Kind;
import io.uplift.api.VerifyResult.Problem;
import io.uplift.api.ProgressListener;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.NodeLocalFiles;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Backups of a real Lockbox 1.0 demo on PostgreSQL 10, dumped with the machine's pg_dump. */
class BackupIT {
    private static Path home;
    private static Installation inst;
    private static PgTools tools;
    private static Path tmpfs;

    @BeforeAll
    static void prepareDemo() {
        home = TestPostgres.newTraversableTempDir().resolve("lockbox");
        Cli run = Cli.run("demo", "--prepare-only", "--home", home.toString(), "--events", "2000", "--seed", "3");
        assertThat(run.exit()).as(run.toString()).isZero();
        inst = Installation.open(home);
        tools = PgTools.locate(Optional.empty());
    }

    @AfterAll
    static void stopDemoServerAndUnmount() throws Exception {
        if (home != null) {
            Cli.run("db", "stop", "--home", home.toString());
        }
        if (tmpfs != null) {
            new ProcessBuilder("umount", tmpfs.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static Backups backups(Path root) {
        return new Backups(root, tools);
    }

    @Test
    void aBackupIsWrittenVerifiedAndReportsProgressUpToItsTotal() throws Exception {
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        List<long[]> reports = new ArrayList<>();
        BackupResult r = backups(root).create(inst, (done, total) -> reports.add(new long[] {done, total}));

        assertThat(r.id()).matches("\\d{8}T\\d{6}Z-lockbox-1\\.0");
        assertThat(r.folder()).isEqualTo(root.resolve(r.id()));
        assertThat(r.verification().ok()).as(r.verification().toString()).isTrue();
        assertThat(reports).isNotEmpty();
        long[] last = reports.get(reports.size() - 1);
        assertThat(last[0]).isEqualTo(last[1]).isPositive();
        BackupManifest m = r.manifest();
        assertThat(m.databaseServerMajor()).isEqualTo(10);
        assertThat(m.schemaVersion()).startsWith("1.0.0.");
        assertThat(m.pgDumpVersion()).isEqualTo(tools.version());
        assertThat(m.files()).extracting(BackupManifest.Entry::path)
                .contains("app/bin/lockbox", "config/database.properties", "config/keyset.json")
                .noneMatch(p -> p.startsWith("db") || p.startsWith(".uplift"));
        assertThat(Files.isExecutable(r.folder().resolve("app/bin/lockbox"))).isTrue();
        assertThat(NodeLocalFiles.sha256(r.folder().resolve("config/keyset.json"))).isEqualTo(NodeLocalFiles.sha256(home.resolve("config/keyset.json")));
        assertThat(Files.getPosixFilePermissions(r.folder())).containsOnly(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        assertThat(backups(root).list()).extracting(BackupManifest::id).containsExactly(r.id());
        assertThat(backups(root).verify(r.id()).ok()).isTrue();
    }

    @Test
    void verifyReportsExactlyTheFileWithAFlippedByteTheDumpWithAFlippedByteAndADeletedFile() throws Exception {
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        Backups backups = backups(root);
        String id = backups.create(inst, ProgressListener.NONE).id();
        Path folder = root.resolve(id);

        flipByte(folder.resolve("app/bin/lockbox"), 10);
        assertThat(backups.verify(id).problems()).extracting(Problem::path, Problem::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("app/bin/lockbox", Kind.CHECKSUM_MISMATCH));
        flipByte(folder.resolve("app/bin/lockbox"), 10);
        assertThat(backups.verify(id).ok()).isTrue();

        flipByte(folder.resolve(BackupManifest.DUMP_FILE), Files.size(folder.resolve(BackupManifest.DUMP_FILE)) / 2);
        assertThat(backups.verify(id).problems()).extracting(Problem::path, Problem::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(BackupManifest.DUMP_FILE, Kind.CHECKSUM_MISMATCH));
        assertThatThrownBy(() -> backups.restoreDatabase(id, inst.databaseSettings())).isInstanceOf(UpliftException.class)
                .hasMessageContaining("damaged").hasMessageContaining("not touched");
        flipByte(folder.resolve(BackupManifest.DUMP_FILE), Files.size(folder.resolve(BackupManifest.DUMP_FILE)) / 2);

        Files.delete(folder.resolve("config/database.properties"));
        assertThat(backups.verify(id).problems()).extracting(Problem::path, Problem::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("config/database.properties", Kind.MISSING));

        assertThatThrownBy(() -> backups.verify("20990101T000000Z-nope"))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_FAILED))
                .hasMessageContaining("Known backups: " + id);
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x01));
            b.rewind();
            ch.write(b, at);
        }
    }

    @Test
    void aTruncatedDumpWithAMatchingManifestIsReportedUnreadableByPgRestore() throws Exception {
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        Backups backups = backups(root);
        BackupManifest m = backups.create(inst, ProgressListener.NONE).manifest();
        Path dump = root.resolve(m.id()).resolve(BackupManifest.DUMP_FILE);
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(dump), 100);
        Files.write(dump, head);
        // Make the manifest agree with the damaged dump, so that only pg_restore can tell.
        BackupManifest.Entry d = m.dump();
        BackupManifest lying = new BackupManifest(m.format(), m.id(), m.home(), m.created(), m.product(), m.version(), m.schemaVersion(),
                m.databaseServerMajor(), m.databaseServerVersion(), m.databaseName(), m.pgDumpVersion(),
                new BackupManifest.Entry(d.path(), d.type(), head.length, NodeLocalFiles.sha256(dump).orElseThrow(), d.mode(), null, null, null),
                m.files());
        new BackupStore(root).writeManifest(root.resolve(m.id()), lying);
        assertThat(backups.verify(m.id()).problems()).extracting(Problem::path, Problem::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(BackupManifest.DUMP_FILE, Kind.DUMP_UNREADABLE));
    }

    @Test
    void restoreDatabaseGivesBackIdenticalContentAfterUpdatesDeletesAndANewTableAndCanRunTwice() throws Exception {
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        Backups backups = backups(root);
        DatabaseSettings db = inst.databaseSettings();
        Map<String, String> before = content(db);
        String id = backups.create(inst, ProgressListener.NONE).id();

        try (Connection c = io.uplift.db.Jdbc.connect(db.url(), db.user(), db.password()); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE users SET email = email || '.changed' WHERE id % 2 = 0");
            st.executeUpdate("DELETE FROM event_threats WHERE event_id % 3 = 0");
            st.execute("CREATE TABLE after_backup (x int)");
            st.execute("INSERT INTO after_backup VALUES (1)");
            st.execute("CREATE SCHEMA extra");
            st.execute("CREATE TABLE extra.t (y text)");
            st.execute("CREATE VIEW user_emails AS SELECT email FROM users");
            st.execute("CREATE FUNCTION answer() RETURNS int LANGUAGE sql AS 'SELECT 42'");
            st.execute("INSERT INTO flyway_schema_history SELECT installed_rank + 1000, '9.9', description, type, script, checksum,"
                    + " installed_by, installed_on, execution_time, success FROM flyway_schema_history LIMIT 1");
            st.execute("SELECT nextval('users_id_seq')");
        }
        assertThat(content(db)).isNotEqualTo(before);

        backups.restoreDatabase(id, db);
        assertThat(content(db)).isEqualTo(before);
        backups.restoreDatabase(id, db);
        assertThat(content(db)).as("a second restore ends in the same state").isEqualTo(before);
    }

    @Test
    void issue16_aRestoreLeavesTheClusterCoordinationAsItIsNotAsItWasAtTheBackup() throws Exception {
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        Backups backups = backups(root);
        DatabaseSettings db = inst.databaseSettings();
        try (Connection c = io.uplift.db.Jdbc.connect(db.url(), db.user(), db.password()); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS uplift_cluster");
            st.execute("CREATE TABLE uplift_cluster.restore_probe (state text)");
            st.execute("INSERT INTO uplift_cluster.restore_probe VALUES ('PREPARED')");
        }
        String id = backups.create(inst, ProgressListener.NONE).id();
        try (Connection c = io.uplift.db.Jdbc.connect(db.url(), db.user(), db.password()); Statement st = c.createStatement()) {
            st.execute("INSERT INTO uplift_cluster.restore_probe VALUES ('FAILED')");
        }

        backups.restoreDatabase(id, db);

        try (Connection c = io.uplift.db.Jdbc.connect(db.url(), db.user(), db.password()); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT string_agg(state, ',' ORDER BY state) FROM uplift_cluster.restore_probe")) {
            rs.next();
            assertThat(rs.getString(1)).as("the cluster's state after the backup is still there").isEqualTo("FAILED,PREPARED");
            st.execute("DROP SCHEMA uplift_cluster CASCADE");
        }
    }

    /** Per-table checksums of every table in public, the table and schema names, and the sequences' positions. */
    private static Map<String, String> content(DatabaseSettings db) throws Exception {
        Map<String, String> sums = new TreeMap<>();
        try (Connection c = io.uplift.db.Jdbc.connect(db.url(), db.user(), db.password()); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT schemaname || '.' || tablename FROM pg_tables"
                    + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            sums.put("(tables)", String.join(",", tables));
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
                        + " FROM " + t + " t")) {
                    rs.next();
                    sums.put(t, rs.getString(1));
                }
            }
            for (String q : List.of("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%'",
                    "SELECT string_agg(viewname, ',' ORDER BY viewname) FROM pg_views WHERE schemaname = 'public'",
                    "SELECT string_agg(proname, ',' ORDER BY proname) FROM pg_proc WHERE pronamespace = 'public'::regnamespace",
                    "SELECT last_value || ':' || is_called FROM users_id_seq")) {
                try (ResultSet rs = st.executeQuery(q)) {
                    rs.next();
                    sums.put(q, rs.getString(1));
                }
            }
        }
        return sums;
    }

    @Test
    void restoreFolderGivesBackTheIdenticalTreeAndFinishesAnInterruptedSwap() throws Exception {
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        Backups backups = backups(root);
        Map<String, String> before = tree(home.resolve("app"));
        String id = backups.create(inst, ProgressListener.NONE).id();

        Files.writeString(home.resolve("app/bin/lockbox"), "echo tampered\n", StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(home.resolve("app/bin/lockbox"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.delete(home.resolve("app/VERSION"));
        Files.writeString(home.resolve("app/new-file.txt"), "added after the backup");
        Files.createDirectories(home.resolve("app/new-dir"));
        assertThat(tree(home.resolve("app"))).isNotEqualTo(before);

        backups.restoreFolder(id, "app", home);
        assertThat(tree(home.resolve("app"))).isEqualTo(before);
        assertThat(leftovers()).isEmpty();

        // Killed after the copy and the first rename: app.aside and a complete app.restoring, no app.
        Files.writeString(home.resolve("app/new-file.txt"), "x");
        copyTree(root.resolve(id).resolve("app"), home.resolve("app.restoring"));
        Files.move(home.resolve("app"), home.resolve("app.aside"));
        backups.restoreFolder(id, "app", home);
        assertThat(tree(home.resolve("app"))).isEqualTo(before);
        assertThat(leftovers()).isEmpty();

        // Killed while copying: a half-written app.restoring, the live folder untouched.
        Files.createDirectories(home.resolve("app.restoring/bin"));
        Files.writeString(home.resolve("app.restoring/bin/lockbox"), "half");
        Files.writeString(home.resolve("app/new-file.txt"), "x");
        backups.restoreFolder(id, "app", home);
        assertThat(tree(home.resolve("app"))).isEqualTo(before);
        assertThat(leftovers()).isEmpty();
    }

    private static List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(home)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".restoring") || n.endsWith(".aside")).toList();
        }
    }

    /** path -> type, SHA-256, executable bit, mode: what a restore must give back. */
    private static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> t = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(p -> {
                try {
                    String perms = java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    t.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir " + perms
                            : NodeLocalFiles.sha256(p).orElseThrow() + " exec=" + Files.isExecutable(p) + " " + perms);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return t;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Process p = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void noRoomRefusesBeforeWritingAnything() throws Exception {
        Path parent = TestPostgres.newTraversableTempDir();
        Path root = parent.resolve("backups");
        Backups full = new Backups(root, tools, folder -> 1024 * 1024, 3, Clock.systemUTC());
        assertThatThrownBy(() -> full.create(inst, ProgressListener.NONE))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_FAILED))
                .hasMessageContaining("1 MB free").hasMessageContaining(parent.toString())
                .hasMessageContaining("--backup-dir").hasMessageContaining("Nothing was written");
        assertThat(root).doesNotExist();
        try (Stream<Path> s = Files.list(parent)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void aRealTwoMegabyteFileSystemIsRefusedBeforeWritingAnything() throws Exception {
        Path mountPoint = TestPostgres.newTraversableTempDir().resolve("small");
        Files.createDirectories(mountPoint);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        assumeTrue(mounted, "mounting a 2 MB tmpfs is not allowed here (" + output.strip() + "); the injected FreeSpace test covers the rule");
        tmpfs = mountPoint;
        Path root = mountPoint.resolve("backups");
        assertThatThrownBy(() -> backups(root).create(inst, ProgressListener.NONE))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BACKUP_FAILED))
                .hasMessageContaining("Not enough room").hasMessageContaining(mountPoint.toString());
        try (Stream<Path> s = Files.list(mountPoint)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void retentionKeepsTheNewestNAndAProtectedOneAndALeftoverPartialIsRemovedByTheNextBackup() throws Exception {
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                now[0] = now[0].plusSeconds(60);
                return now[0];
            }
        };
        Backups keepTwo = new Backups(root, tools, FreeSpace.FILE_STORE, 2, clock);
        String first = keepTwo.create(inst, ProgressListener.NONE).id();
        String second = keepTwo.create(inst, ProgressListener.NONE).id();
        Path leftover = root.resolve("20250101T000000Z-lockbox-1.0.partial");
        Files.createDirectories(leftover.resolve("app"));
        Files.writeString(leftover.resolve(BackupStore.IN_PROGRESS), "999999999");
        assertThat(keepTwo.list()).extracting(BackupManifest::id).containsExactly(second, first);

        BackupResult third = keepTwo.create(inst, ProgressListener.NONE, Set.of(first));
        assertThat(third.removed()).isEmpty();
        assertThat(leftover).doesNotExist();
        BackupResult fourth = keepTwo.create(inst, ProgressListener.NONE, Set.of(first));
        assertThat(fourth.removed()).containsExactly(second);
        assertThat(keepTwo.list()).extracting(BackupManifest::id).containsExactly(fourth.id(), third.id(), first);
        BackupResult fifth = keepTwo.create(inst, ProgressListener.NONE);
        assertThat(fifth.removed()).containsExactlyInAnyOrder(third.id(), first);
        assertThat(keepTwo.list()).extracting(BackupManifest::id).containsExactly(fifth.id(), fourth.id());
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder(fifth.id(), fourth.id());
        }
    }
}
