package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Unpacking and caching of the server binaries; no server is started here. */
class PgBinariesTest {
    private static final Path BINARIES = Path.of(System.getProperty("uplift.pg.binaries", "target/pg-binaries"));

    // One cache for the class: unpacking takes seconds, and every test leaves it complete again.
    @TempDir
    static Path cache;

    @Test
    void unpacksOnceAndWritesTheArchiveChecksumAsMarker() throws Exception {
        PgBinaries first = PgBinaries.forMajor(10, BINARIES, cache);

        assertThat(first.major()).isEqualTo(10);
        assertThat(first.version()).isEqualTo("10.23");
        Path installation = first.binDir().getParent();
        assertThat(installation.getParent()).isEqualTo(cache.resolve("pg"));
        String sha = PgBinaryCache.sha256(archive10());
        assertThat(installation.getFileName().toString()).isEqualTo("10.23-" + sha.substring(0, 12));
        assertThat(Files.readString(installation.resolve(PgBinaryCache.MARKER)).strip()).isEqualTo(sha);
        for (String program : new String[] {"initdb", "pg_ctl", "postgres"}) {
            assertThat(first.binDir().resolve(program)).isExecutable();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.binDir().resolve(program))))
                    .isEqualTo("rwxr-xr-x");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(installation))).isEqualTo("rwxr-xr-x");
        assertThat(Files.list(installation.resolve("lib")).anyMatch(Files::isSymbolicLink))
                .as("versioned shared libraries stay symbolic links").isTrue();
        assertThat(Files.list(cache.resolve("pg")).filter(p -> p.getFileName().toString().contains(".tmp-")))
                .as("no temporary folder left").isEmpty();

        Path sentinel = Files.createFile(installation.resolve("sentinel-reuse"));
        PgBinaries second = PgBinaries.forMajor(10, BINARIES, cache);

        assertThat(second.binDir()).isEqualTo(first.binDir());
        assertThat(sentinel).as("a cache with a valid marker is reused, not unpacked again").exists();
    }

    @Test
    void aCorruptedMarkerCausesAFreshUnpack() throws Exception {
        Path installation = PgBinaries.forMajor(10, BINARIES, cache).binDir().getParent();
        Path sentinel = Files.createFile(installation.resolve("sentinel-corrupt"));
        Files.writeString(installation.resolve(PgBinaryCache.MARKER), "0000 not the checksum\n");

        PgBinaries again = PgBinaries.forMajor(10, BINARIES, cache);

        assertThat(again.binDir().getParent()).isEqualTo(installation);
        assertThat(sentinel).as("the folder was replaced").doesNotExist();
        assertThat(Files.readString(installation.resolve(PgBinaryCache.MARKER)).strip())
                .isEqualTo(PgBinaryCache.sha256(archive10()));
    }

    @Test
    void aMissingServerProgramCausesAFreshUnpack() throws Exception {
        PgBinaries binaries = PgBinaries.forMajor(10, BINARIES, cache);
        Path sentinel = Files.createFile(binaries.binDir().getParent().resolve("sentinel-missing"));
        Files.delete(binaries.binDir().resolve("postgres"));

        PgBinaries again = PgBinaries.forMajor(10, BINARIES, cache);

        assertThat(again.binDir().resolve("postgres")).isExecutable();
        assertThat(sentinel).as("the folder was replaced").doesNotExist();
    }

    @Test
    void parallelCallersShareOneUnpackedFolder(@TempDir Path ownCache) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<PgBinaries>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(pool.submit(() -> PgBinaries.forMajor(10, BINARIES, ownCache)));
            }
            Path binDir = calls.get(0).get(2, TimeUnit.MINUTES).binDir();
            for (Future<PgBinaries> call : calls) {
                assertThat(call.get(2, TimeUnit.MINUTES).binDir()).isEqualTo(binDir);
            }
            try (Stream<Path> entries = Files.list(ownCache.resolve("pg"))) {
                assertThat(entries.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".lock")))
                        .containsExactly(binDir.getParent().getFileName().toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aMissingMajorNamesTheAvailableOnes() {
        assertThatThrownBy(() -> PgBinaries.forMajor(12, BINARIES, cache))
                .isInstanceOfSatisfying(UpliftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_SERVER))
                .hasMessageContaining("PostgreSQL 12 binaries not found in " + BINARIES)
                .hasMessageContaining("available majors are 10, 14, 16, 17")
                .hasMessageContaining("--pg-tools-dir");
    }

    @Test
    void aMissingBinariesFolderSaysHowToGetOne() {
        Path missing = cache.resolve("no-such-folder");
        assertThatThrownBy(() -> PgBinaries.forMajor(16, missing, cache))
                .isInstanceOfSatisfying(UpliftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_SERVER))
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("mvn package");
    }

    @Test
    void anInstalledDirectoryReportsItsOwnVersion() {
        Path installation = PgBinaries.forMajor(10, BINARIES, cache).binDir().getParent();

        PgBinaries fromRoot = PgBinaries.fromDirectory(installation);
        PgBinaries fromBin = PgBinaries.fromDirectory(installation.resolve("bin"));

        assertThat(fromRoot.version()).isEqualTo("10.23");
        assertThat(fromRoot.major()).isEqualTo(10);
        assertThat(fromBin.binDir()).isEqualTo(fromRoot.binDir());
    }

    @Test
    void aFolderWithoutServerProgramsIsRefused() {
        assertThatThrownBy(() -> PgBinaries.fromDirectory(cache))
                .isInstanceOfSatisfying(UpliftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_SERVER))
                .hasMessageContaining("no executable initdb");
    }

    private static PgBinaryArchive archive10() {
        return PgBinaryArchive.newest(BINARIES, 10, "test");
    }
}
