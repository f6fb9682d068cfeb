package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.UpliftException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export's jobs that need no server: names, the folder, the progress log, tees, sequences.sql, the manifest. */
class ExportPiecesTest {
    private static final TableInfo EVENTS = new TableInfo("public", "events", List.of("\"id\""), 1, true, "\"id\"");
    private static final Chunk FIRST = new Chunk(EVENTS, 1, 2, "\"id\" < 5");
    private static final Chunk SECOND = new Chunk(EVENTS, 2, 2, "\"id\" >= 5");

    @TempDir
    Path dir;

    @Test
    void fileNamesEscapeWhatAFileNameCannotHold() {
        assertThat(ExportFileNames.chunk(new Chunk(new TableInfo("my schema", "Tä/b", List.of(), 1, true, null), 3, 4, ""),
                MoveSettings.Compression.LOW)).isEqualTo("data/my%20schema.T%C3%A4%2Fb.3-of-4.copy.zst");
        assertThat(ExportFileNames.chunk(FIRST, MoveSettings.Compression.NONE)).isEqualTo("data/public.events.1-of-2.copy");
        assertThat(ExportFileNames.largeObjects(MoveSettings.Compression.HIGH)).isEqualTo("data/large-objects.copy.zst");
    }

    @Test
    void aFreshExportRefusesAFolderWithFilesButAcceptsTheSourceIndexesDdl() throws IOException {
        Files.writeString(dir.resolve(SourceIndexes.FILE), "CREATE INDEX ...");
        Files.createDirectories(dir.resolve("data"));
        assertThat(ExportFolder.prepare(dir, false)).isEqualTo(dir.toAbsolutePath().normalize());
        Files.writeString(dir.resolve("other.txt"), "x");
        assertThatThrownBy(() -> ExportFolder.prepare(dir, false)).isInstanceOf(UpliftException.class)
                .hasMessageContaining("is not empty (1 entries, e.g. other.txt)");
        assertThat(ExportFolder.prepare(dir, true)).isEqualTo(dir.toAbsolutePath().normalize());
        assertThatThrownBy(() -> ExportFolder.prepare(dir.resolve("other.txt"), true)).isInstanceOf(UpliftException.class)
                .hasMessageContaining("is a file, not a folder");
    }

    @Test
    void aResumedExportKeepsTheFilesRecordedAtTheirSizeAndDropsPartialOnes() throws IOException {
        ExportFolder.prepare(dir, false);
        Files.writeString(dir.resolve("data/a.copy"), "12345");
        Files.writeString(dir.resolve("data/b.copy"), "12");
        Files.writeString(dir.resolve("data/c.copy.partial"), "half");
        ExportProgress first = new ExportProgress(dir);
        first.record(new ExportProgress.Written(FIRST.id(), "data/a.copy", "none", 0, 5, 5, "aa"));
        first.record(new ExportProgress.Written(SECOND.id(), "data/b.copy", "none", 0, 5, 5, "bb")); // b.copy is shorter than recorded
        Files.writeString(dir.resolve(ExportFileNames.PROGRESS), "{\"chunk\":\"torn", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);

        ExportProgress resumed = new ExportProgress(dir);
        resumed.replay();
        assertThat(resumed.has(FIRST)).isTrue();
        assertThat(resumed.has(SECOND)).isFalse();
        assertThat(Files.exists(dir.resolve("data/c.copy.partial"))).isFalse();
        resumed.delete();
        assertThat(Files.exists(dir.resolve(ExportFileNames.PROGRESS))).isFalse();
    }

    @Test
    void twoTeesBothSeeEveryByteAndTheFirstIsClosedWhenTheSecondCannotOpen() throws IOException {
        Recording a = new Recording();
        Recording b = new Recording();
        try (ChunkCopier.Sink both = TeePair.of(a, b).open(FIRST)) {
            both.write("rows".getBytes(StandardCharsets.UTF_8));
            both.finish();
        }
        assertThat(a.bytes.toString(StandardCharsets.UTF_8)).isEqualTo("rows");
        assertThat(b.bytes.toString(StandardCharsets.UTF_8)).isEqualTo("rows");
        assertThat(a.events).containsExactly("finish", "close");
        assertThat(TeePair.of(ChunkCopier.Tee.NONE, b)).isSameAs(b);

        Recording c = new Recording();
        ChunkCopier.Tee failing = chunk -> {
            throw new IOException("disk full");
        };
        assertThatThrownBy(() -> TeePair.of(c, failing).open(FIRST)).hasMessage("disk full");
        assertThat(c.events).containsExactly("close");
    }

    @Test
    void sequencesSqlHoldsOneSetvalPerSequence() {
        String sql = new String(ExportSequences.script(List.of(new ExportManifest.SequenceValue("public.\"o'k\"", 41, true))),
                StandardCharsets.UTF_8);
        assertThat(sql).endsWith("\nSELECT pg_catalog.setval('public.\"o''k\"', 41, true);\n");
    }

    @Test
    void theManifestTakesItsTimeFromTheClockAndRefusesAChunkWithoutAFile() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        ExportManifestWriter writer = new ExportManifestWriter(dir, clock);
        ExportProgress.Written a = new ExportProgress.Written(FIRST.id(), "data/a.copy", "none", 0, 5, 5, "aa");
        List<ExportManifest.DataFile> data = writer.dataFiles(List.of(FIRST), Map.of(FIRST.id(), a)::get, Map.of(FIRST.id(), 3L));
        assertThat(data).singleElement().satisfies(d -> {
            assertThat(d.order()).isEqualTo(1);
            assertThat(d.rows()).isEqualTo(3);
            assertThat(d.format()).isEqualTo("binary");
        });
        ExportManifest m = writer.manifest(data, MoveSettings.Compression.MEDIUM, new ExportManifestWriter.Source("10.23", "app", "16.1", null),
                new ExportManifestWriter.Files(null, null, new ExportSequences.Written(List.of(), null), null));
        assertThat(m.createdAt()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(m.compression()).isEqualTo("medium");
        assertThatThrownBy(() -> writer.dataFiles(List.of(FIRST, SECOND), Map.of(FIRST.id(), a)::get, Map.of(FIRST.id(), 3L)))
                .isInstanceOf(UpliftException.class).hasMessageContaining("has no file for public.events#2/2");
    }

    /** A tee that keeps what it was given and what was done to its sink. */
    private static final class Recording implements ChunkCopier.Tee {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();

        @Override
        public ChunkCopier.Sink open(Chunk chunk) {
            return new ChunkCopier.Sink() {
                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.write(b, off, len);
                }

                @Override
                public void finish() {
                    events.add("finish");
                }

                @Override
                public void close() {
                    events.add("close");
                }
            };
        }
    }
}
