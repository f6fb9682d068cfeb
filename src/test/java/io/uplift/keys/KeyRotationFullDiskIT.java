package io.uplift.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.install.Installation;
import io.uplift.install.ManagedDatabase;
import io.uplift.testsupport.SmallDisk;
import io.uplift.testsupport.TestPostgres;
import io.uplift.testsupport.UpliftJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, "Also": the database server's disk fills while 'uplift keys rotate' re-encrypts. Only
 * the secrets table (with its indexes) lives on the small disk, in a tablespace of its own: a full
 * pg_wal would crash the server, which is another case. Each re-encrypted row is a new row version,
 * so the table grows by about its own size during a rotation; the disk is sized from the table as
 * it is, with a third of that free, and fills half-way through.
 */
class KeyRotationFullDiskIT {
    private static final long MB = 1024 * 1024;
    private static final Path PSQL = Path.of("/usr/lib/postgresql/15/bin/psql");

    @Test
    void issue13_alsoFullDisk_aRotationThatFillsTheDatabaseDiskStopsCleanlyAndRunningItAgainFinishes() throws Exception {
        // Mounted first and unmounted last: the server must be stopped while its tablespace is still there.
        try (SmallDisk disk = SmallDisk.mount(TestPostgres.newTraversableTempDir().resolve("tablespace"), 256 * MB, "postgres")) {
            KeysHome h = KeysHome.prepare(30_000);
            try {
                rotateOnAFillingDisk(h, disk);
            } finally {
                h.stop();
            }
        }
    }

    private static void rotateOnAFillingDisk(KeysHome h, SmallDisk disk) throws Exception {
        Path space = Files.createDirectory(disk.dir().resolve("pg"));
        run(List.of("chown", "postgres:postgres", space.toString()));
        asSuperuser(h, "CREATE TABLESPACE small LOCATION '" + space + "'");
        asSuperuser(h, "ALTER TABLE secrets SET TABLESPACE small");
        asSuperuser(h, "DO $$ DECLARE i regclass; BEGIN FOR i IN SELECT indexrelid::regclass FROM pg_index WHERE indrelid ="
                + " 'secrets'::regclass LOOP EXECUTE format('ALTER INDEX %s SET TABLESPACE small', i); END LOOP; END $$");
        long used = 256 * MB - disk.freeBytes();
        disk.resize(used + used / 3);
        InstallationKeyset before = h.keyset();
        SecretRows.Checksum values = h.checksum(before);

        UpliftJvm.Result failed = h.run("keys", "rotate", "--yes");

        System.out.println("[KeyRotationFullDiskIT] " + used / 1024 + " KB on the disk; " + failed.err().lines()
                .filter(l -> l.startsWith("error:")).toList());
        assertThat(failed.exit()).as(failed.toString()).isEqualTo(13);
        assertThat(failed.err()).as(failed.toString())
                .contains("The database server's disk is full")
                .contains("No space left on device")
                .contains("Every value still decrypts")
                .contains("run 'uplift keys rotate' again")
                .doesNotContain("\tat io.uplift");
        InstallationKeyset during = h.keyset();
        RotationState.Rotation open = RotationState.read(h.home).inProgress().orElseThrow();
        assertThat(open.newPrimaryKeyId()).isEqualTo(during.primaryKeyId()).isNotEqualTo(before.primaryKeyId());
        assertThat(open.previousPrimaryKeyId()).isEqualTo(before.primaryKeyId());
        assertThat(KeysetEntries.contains(during, before.primaryKeyId())).as("the old key still decrypts").isTrue();
        long stale = h.count("SELECT count(*) FROM secrets WHERE key_id <> " + during.primaryKeyId());
        assertThat(stale).as("the disk filled half-way, not before the first batch or after the last")
                .isPositive().isLessThan(values.rows());
        assertThat(h.checksum(during)).as("every value decrypts to what it was").isEqualTo(values);

        disk.resize(used * 4);
        UpliftJvm.Result again = h.run("keys", "rotate", "--yes");

        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out() + again.err()).contains("Resuming the rotation");
        InstallationKeyset after = h.keyset();
        assertThat(after.primaryKeyId()).isEqualTo(during.primaryKeyId());
        assertThat(RotationState.read(h.home).inProgress()).isEmpty();
        assertThat(h.count("SELECT count(*) FROM secrets WHERE key_id <> " + after.primaryKeyId())).isZero();
        assertThat(h.checksum(after)).isEqualTo(values);
    }

    /** SQL as the server's superuser, over its Unix socket (peer authentication as the postgres OS user). */
    private static void asSuperuser(KeysHome h, String sql) throws IOException {
        ManagedDatabase m = Installation.open(h.home).state().managedDatabase();
        String socket = ".s.PGSQL." + m.port();
        Path dataDir = Path.of(m.dataDir());
        Path socketDir;
        try (Stream<Path> tmp = Files.list(Path.of("/tmp"))) {
            socketDir = Stream.concat(Stream.of(dataDir.resolveSibling(dataDir.getFileName() + ".run")),
                    tmp.filter(p -> p.getFileName().toString().startsWith("uplift-pg-")))
                    .filter(d -> Files.exists(d.resolve(socket))).findFirst()
                    .orElseThrow(() -> new AssertionError("no socket " + socket + " of the server of " + h.home));
        }
        run(List.of("runuser", "-u", "postgres", "--", PSQL.toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socketDir.toString(),
                "-p", Integer.toString(m.port()), "-d", "lockbox", "-c", sql));
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(String.join(" ", command) + "\n" + out).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
