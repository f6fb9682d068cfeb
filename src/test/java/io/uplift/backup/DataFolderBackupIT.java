package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.BackupResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.BackupManifest.Entry;
import io.uplift.api.VerifyResult.Kind;
import io.uplift.api.VerifyResult.Problem;
import io.uplift.db.Jdbc;
import io.uplift.db.PgTools;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.ProductDatabase;
import io.uplift.keys.KeysetEnvelope;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Backups of a managed server as a copy of its data folder (issue 13, item 6), on a real Lockbox 1.0
 * demo on PostgreSQL 10. The copy is forced here (pg_dump 15 could dump this server); after the demo's
 * move to PostgreSQL 16 it is what 'uplift backup' takes by itself (see UpgradedDemoBackupIT).
 */
class DataFolderBackupIT {
    private static Path home;
    private static Installation inst;
    private static PgTools tools;

    @BeforeAll
    static void prepareDemo() {
        home = TestPostgres.newTraversableTempDir().resolve("lockbox");
        Cli run = Cli.run("demo", "--prepare-only", "--home", home.toString(), "--events", "2000", "--seed", "4");
        assertThat(run.exit()).as(run.toString()).isZero();
        inst = Installation.open(home);
        tools = PgTools.locate(Optional.empty());
    }

    @AfterAll
    static void stopDemoServer() {
        if (home != null) {
            Cli.run("db", "stop", "--home", home.toString());
        }
    }

    private static Backups folderBackups(Path root) {
        return new Backups(root, tools, FreeSpace.FILE_STORE, 5, Clock.systemUTC(), Backups.DatabaseCopy.DATA_FOLDER);
    }

    @Test
    void issue13_item6_aManagedServerIsCopiedAsItsDataFolderCheckedOnAThrowawayServerAndRunsAgainAfterwards() throws Exception {
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        Map<String, Long> liveRows = rowCounts(inst.databaseSettings());
        List<long[]> reports = new ArrayList<>();

        BackupResult r = folderBackups(root).create(inst, (done, total) -> reports.add(new long[] {done, total}));

        BackupManifest m = r.manifest();
        assertThat(m.isDataFolderCopy()).isTrue();
        assertThat(m.dump()).isNull();
        assertThat(m.dataFolder()).isEqualTo(home.resolve("db/pg10").toString());
        assertThat(m.databaseFiles()).extracting(Entry::path).contains("database", "database/PG_VERSION", "database/global/pg_control");
        assertThat(m.databaseFiles()).filteredOn(Entry::isFile).allSatisfy(e -> assertThat(e.owner()).isEqualTo("postgres"));
        assertThat(m.tableRows()).isEqualTo(liveRows).containsKeys("public.events", "public.secrets");
        assertThat(m.keysetFingerprint()).isEqualTo(KeysetEnvelope.fingerprintOf(home.resolve("config/keyset.json")).orElseThrow());
        assertThat(m.databaseKeysetFingerprint()).isEqualTo(m.keysetFingerprint());
        assertThat(r.verification().ok()).as(r.verification().toString()).isTrue();
        long[] last = reports.get(reports.size() - 1);
        assertThat(last[0]).isEqualTo(last[1]).isPositive();
        assertThat(reports).as("progress while the data folder is copied").anyMatch(p -> p[0] > 0 && p[0] < p[1]);
        assertThat(new ProductDatabase(inst).managedServer().orElseThrow().isRunning()).as("the server runs again").isTrue();
        assertThat(rowCounts(inst.databaseSettings())).isEqualTo(liveRows);
        assertThat(folderBackups(root).verify(r.id()).ok()).isTrue();
        try (Stream<Path> db = Files.list(home.resolve("db"))) {
            assertThat(db.map(p -> p.getFileName().toString())).as("no scratch copy left").noneMatch(n -> n.startsWith(".uplift-verify-"));
        }
    }

    @Test
    void issue13_item6_verifyStartsTheCopyAndReportsRowCountsThatDifferFromTheManifestAndDamagedFiles() throws Exception {
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        Backups backups = folderBackups(root);
        BackupResult r = backups.create(inst, io.uplift.api.ProgressListener.NONE);
        BackupManifest m = r.manifest();

        Map<String, Long> wrong = new HashMap<>(m.tableRows());
        wrong.put("public.events", m.tableRows().get("public.events") + 1);
        BackupManifest lying = new BackupManifest(m.format(), m.id(), m.home(), m.created(), m.product(), m.version(), m.schemaVersion(),
                m.databaseServerMajor(), m.databaseServerVersion(), m.databaseName(), m.pgDumpVersion(), m.dump(), m.files(),
                m.keysetFingerprint(), m.databaseKeysetFingerprint(), m.databaseCopy(), m.dataFolder(), m.databaseOsUser(),
                m.databaseFiles(), wrong);
        Files.write(r.folder().resolve(BackupManifest.FILE), BackupStore.JSON.writeValueAsBytes(lying));
        assertThat(backups.verify(r.id()).problems()).extracting(Problem::kind, Problem::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Kind.ROW_COUNT_MISMATCH, "table public.events: " + m.tableRows().get("public.events")
                        + " rows, the manifest says " + wrong.get("public.events") + " rows"));
        Files.write(r.folder().resolve(BackupManifest.FILE), BackupStore.JSON.writeValueAsBytes(m));
        assertThat(backups.verify(r.id()).ok()).isTrue();

        Path control = r.folder().resolve("database/global/pg_control");
        flipByte(control, 20);
        assertThat(backups.verify(r.id()).problems()).extracting(Problem::path, Problem::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("database/global/pg_control", Kind.CHECKSUM_MISMATCH));
        Map<String, Long> before = rowCounts(inst.databaseSettings());
        assertThatThrownBy(() -> backups.restoreDatabase(r.id(), inst)).hasMessageContaining("damaged").hasMessageContaining("pg_control");
        assertThat(rowCounts(inst.databaseSettings())).as("the live database was not touched, its server still runs").isEqualTo(before);
        assertThat(home.resolve("db/pg10.restoring")).doesNotExist();
    }

    @Test
    void issue13_item6_restoringADataFolderCopyGivesBackExactlyTheBackedUpDatabaseAndCanRunTwice() throws Exception {
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        Backups backups = folderBackups(root);
        DatabaseSettings db = inst.databaseSettings();
        Map<String, String> before = content(db);
        String id = backups.create(inst, io.uplift.api.ProgressListener.NONE).id();
        try (Connection c = Jdbc.connect(db.url(), db.user(), db.password()); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE users SET email = email || '.changed' WHERE id % 2 = 0");
            st.executeUpdate("DELETE FROM event_threats WHERE event_id % 3 = 0");
            st.execute("CREATE TABLE after_backup (x int)");
            st.execute("INSERT INTO after_backup VALUES (1)");
        }
        assertThat(content(db)).isNotEqualTo(before);

        backups.restoreDatabase(id, inst);
        assertThat(content(db)).isEqualTo(before);
        backups.restoreDatabase(id, inst);
        assertThat(content(db)).as("a second restore ends in the same state").isEqualTo(before);
        assertThat(Files.getOwner(home.resolve("db/pg10")).getName()).isEqualTo("postgres");
        assertThat(home.resolve("db/pg10.aside")).doesNotExist();
        assertThat(home.resolve("db/pg10.restoring")).doesNotExist();
    }

    private static void flipByte(Path file, long at) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, at);
            b.flip();
            b.put(0, (byte) (b.get(0) ^ 0xff));
            ch.write(b, at);
        }
    }

    private static Map<String, Long> rowCounts(DatabaseSettings db) throws Exception {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection c = Jdbc.connect(db.url(), db.user(), db.password()); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT schemaname || '.' || tablename FROM pg_tables"
                    + " WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + t)) {
                    rs.next();
                    rows.put(t, rs.getLong(1));
                }
            }
        }
        return rows;
    }

    /** Per-table checksums of every table, and the sequences' positions. */
    private static Map<String, String> content(DatabaseSettings db) throws Exception {
        Map<String, String> sums = new TreeMap<>();
        try (Connection c = Jdbc.connect(db.url(), db.user(), db.password()); Statement st = c.createStatement()) {
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
            try (ResultSet rs = st.executeQuery("SELECT last_value || ':' || is_called FROM users_id_seq")) {
                rs.next();
                sums.put("users_id_seq", rs.getString(1));
            }
        }
        return sums;
    }
}
