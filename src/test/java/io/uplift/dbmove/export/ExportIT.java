package io.uplift.dbmove.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.dbmove.ExportManifest;
import io.uplift.testsupport.TestPostgres;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** db move --export-dir at every compression level: the manifest's checksums match the files it names. */
class ExportIT {
    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private static TestPostgres.Database source;
    private static Map<String, String> sourceSums;

    @BeforeAll
    static void source() throws Exception {
        source = ExportFixture.source();
        sourceSums = ExportFixture.checksums(source);
    }

    static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A move of {@code source} into a new PostgreSQL 16 database with an export at {@code level}. */
    static Path moveWithExport(TestPostgres.Database source, String level) {
        Path dir = TestPostgres.newTraversableTempDir().resolve("export-" + level);
        TestPostgres.Database target = TestPostgres.v16().newDatabase();
        ExportFixture.Cli run = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target", ExportFixture.url(target),
                "--threads", "2", "--export-dir", dir.toString(), "--compression", level, "--yes");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Validation passed", "Export written: " + dir);
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "low", "medium", "high"})
    void manifestChecksumsMatchTheFilesAtEveryLevel(String level) throws Exception {
        Path dir = moveWithExport(source, level);
        ExportManifest m = JSON.readValue(dir.resolve("manifest.json").toFile(), ExportManifest.class);
        assertThat(m.formatVersion()).isEqualTo(1);
        assertThat(m.sourceServerVersion()).startsWith("10.");
        assertThat(m.compression()).isEqualTo(level);
        assertThat(m.data()).extracting(ExportManifest.DataFile::table)
                .containsExactlyInAnyOrder("accounts", "events", "log lines", "doc");
        assertThat(m.data()).extracting(ExportManifest.DataFile::order).containsExactly(1, 2, 3, 4);
        for (ExportManifest.FileEntry e : m.allFiles()) {
            Path f = dir.resolve(e.file());
            assertThat(f).as(e.file()).isRegularFile();
            assertThat(Files.size(f)).as(e.file()).isEqualTo(e.bytes());
            assertThat(sha256(f)).as(e.file()).isEqualTo(e.sha256());
        }
        ExportManifest.DataFile events = m.data().stream().filter(d -> d.table().equals("events")).findFirst().orElseThrow();
        ExportManifest.DataFile accounts = m.data().stream().filter(d -> d.table().equals("accounts")).findFirst().orElseThrow();
        assertThat(events.rows()).isEqualTo(30000);
        assertThat(events.format()).isEqualTo("binary");
        assertThat(accounts.format()).as("an array of a user-defined enum goes as text").isEqualTo("text");
        assertThat(events.columns()).containsExactly("\"id\"", "\"account_id\"", "\"kind\"", "\"at\"", "\"amount\"", "\"payload\"", "\"note\"");
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(dir.resolve(events.file()))) {
            assertThat(in.read(head)).isEqualTo(4);
        }
        if (level.equals("none")) {
            assertThat(events.file()).isEqualTo("data/public.events.1-of-1.copy");
            assertThat(events.compression()).isEqualTo("none");
            assertThat(new String(head, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PGCO"); // plain binary COPY
            assertThat(events.bytes()).isEqualTo(events.copyBytes());
        } else {
            assertThat(events.file()).isEqualTo("data/public.events.1-of-1.copy.zst");
            assertThat(events.compression()).isEqualTo("zstd");
            assertThat(events.zstdLevel()).isEqualTo(Map.of("low", 1, "medium", 6, "high", 15).get(level));
            assertThat(head).containsExactly(0x28, 0xB5, 0x2F, 0xFD); // zstd frame magic
            assertThat(events.bytes()).isLessThan(events.copyBytes());
        }
        assertThat(m.sequences()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("\"public\".\"ticket_seq\"");
            assertThat(s.lastValue()).isEqualTo(4242);
            assertThat(s.isCalled()).isTrue();
        });
        assertThat(m.largeObjects().count()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("post-data.sql"))).contains("CREATE INDEX events_at_idx");
        try (Stream<Path> leftovers = Files.walk(dir)) {
            assertThat(leftovers.map(Path::toString).filter(p -> p.endsWith(".partial") || p.endsWith(".jsonl")).toList()).isEmpty();
        }
        assertThat(ExportFixture.checksums(source)).isEqualTo(sourceSums);
    }

    @Test
    void aResumedMoveExportsTheChunksAnEarlierRunCopiedWithoutExport() throws Exception {
        TestPostgres.Database target = TestPostgres.v16().newDatabase();
        // First run without --export-dir and without validation (which would drop the move's records).
        ExportFixture.Cli first = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(target), "--skip-validation", "--yes");
        assertThat(first.exit()).as(first.toString()).isZero();
        Path dir = TestPostgres.newTraversableTempDir().resolve("export-resumed");
        ExportFixture.Cli second = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(target), "--resume", "--export-dir", dir.toString(), "--compression", "low", "--yes");
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(second.out()).contains("4 chunks copied in an earlier run", "Validation passed");
        ExportManifest m = JSON.readValue(dir.resolve("manifest.json").toFile(), ExportManifest.class);
        assertThat(m.data()).hasSize(4);
        for (ExportManifest.FileEntry e : m.allFiles()) {
            assertThat(sha256(dir.resolve(e.file()))).as(e.file()).isEqualTo(e.sha256());
        }
        assertThat(m.data().stream().filter(d -> d.table().equals("events")).findFirst().orElseThrow().rows()).isEqualTo(30000);
    }

    @Test
    void aFreshMoveRefusesANonEmptyExportFolder() throws Exception {
        Path dir = TestPostgres.newTraversableTempDir().resolve("busy");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("something"), "x");
        ExportFixture.Cli run = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(TestPostgres.v16().newDatabase()), "--export-dir", dir.toString(), "--yes");
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("is not empty");
        assertThat(List.of(ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(TestPostgres.v16().newDatabase()), "--compression", "low", "--yes").exit(),
                ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                        ExportFixture.url(TestPostgres.v16().newDatabase()), "--export-dir", dir.resolve("n").toString(), "--compression",
                        "max", "--yes").exit())).containsExactly(2, 2);
    }
}
