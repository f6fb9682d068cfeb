package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Writes the export of {@code db move --export-dir} in the move's own pass: as a chunk's COPY bytes
 * go to the target they also go, through zstd at the chosen level (or plain), to
 * {@code data/<schema>.<table>.<i>-of-<n>.copy[.zst].partial}; the file is renamed to its real name
 * once the chunk is committed on the target, and deleted when the chunk is abandoned. Nothing is
 * held in memory beyond a buffer.
 *
 * <p>Each finished file is recorded ({@link ExportProgress}), so a resumed move knows which chunks
 * already have their file; chunks done on the target in an earlier run without a file are exported
 * again from the source alone ({@link ExportBackfill}). The manifest is written last
 * ({@link ExportManifestWriter}). This class holds the export's state and hands each job to its class.
 */
final class ExportWriter implements ChunkCopier.Tee, MoveExport {
    private final Path dir;
    private final MoveSettings.Compression compression;
    private final ExportProgress progress;
    private final ExportSchemaFiles schemaFiles;
    private final ExportManifestWriter manifest;
    private Optional<ExportManifest.FileEntry> preData = Optional.empty();
    private ExportSequences.Written sequences = new ExportSequences.Written(List.of(), null);
    private ExportManifest.LargeObjects largeObjects;

    private ExportWriter(Path dir, MoveSettings.Compression compression, Clock clock) {
        this.dir = dir;
        this.compression = compression;
        this.progress = new ExportProgress(dir);
        this.schemaFiles = new ExportSchemaFiles(dir);
        this.manifest = new ExportManifestWriter(dir, clock);
    }

    /**
     * A fresh move needs an empty (or new) folder; a resumed one keeps the files its earlier runs
     * finished and drops their half-written ones.
     */
    static ExportWriter open(Path folder, MoveSettings.Compression compression, boolean resume, Clock clock) {
        try {
            ExportWriter w = new ExportWriter(ExportFolder.prepare(folder, resume), compression, clock);
            if (resume) {
                w.progress.replay();
            }
            Files.deleteIfExists(w.dir.resolve(ExportManifest.FILE));
            return w;
        } catch (IOException e) {
            Path dir = folder.toAbsolutePath().normalize();
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The export folder " + dir + " cannot be prepared: " + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    @Override
    public ChunkCopier.Sink open(Chunk chunk) throws IOException {
        return new ExportFileSink(dir, chunk.id(), ExportFileNames.chunk(chunk, compression), compression, progress::record);
    }

    @Override
    public ChunkCopier.Tee after(ChunkCopier.Tee first) {
        return TeePair.of(first, this);
    }

    @Override
    public void preData(Path dumped) throws IOException {
        preData = Optional.of(schemaFiles.preData(dumped));
    }

    @Override
    public void fromSnapshot(Snapshot s) throws SQLException, IOException {
        List<Chunk> missing = s.chunks().stream().filter(c -> !progress.has(c)).toList();
        if (!missing.isEmpty()) {
            s.listener().phase("export: " + missing.size() + " chunks copied in an earlier run, from the source into " + dir);
            ExportBackfill.run(missing, this, s.settings(), s.id(), s.filters());
        }
        if (preData.isEmpty()) {
            // A resumed move whose schema was already on the target: dump pre-data again, in the same snapshot.
            preData = Optional.of(schemaFiles.dumpPreData(s.sections(), s.settings().source(), s.id()));
        }
        sequences = ExportSequences.write(dir, s.coordinator(), s.sequences());
        largeObjects = ExportLargeObjects.write(s.coordinator(), () -> new ExportFileSink(dir, ExportFileNames.LARGE_OBJECTS_ID,
                ExportFileNames.largeObjects(compression), compression, progress::record), () -> progress.take(ExportFileNames.LARGE_OBJECTS_ID));
    }

    @Override
    public Optional<Path> finish(Finish f) throws SQLException, IOException {
        ExportManifest.FileEntry postData = schemaFiles.postData(f.tools(), f.postDataDump(), f.extraIndexes());
        ExportManifestWriter.Source source = new ExportManifestWriter.Source(f.sourceVersion(), f.sourceDatabase(),
                f.tools().version(), f.sourceIndexesFile().filter(p -> p.startsWith(dir)).map(p -> p.getFileName().toString()).orElse(null));
        Path written = manifest.write(f.target(), f.chunks(), id -> progress.of(id).orElse(null), compression, source,
                new ExportManifestWriter.Files(preData.orElseThrow(), postData, sequences, largeObjects));
        progress.delete();
        f.listener().phase("export: " + f.chunks().size() + " data files and " + ExportManifest.FILE + " in " + dir);
        return Optional.of(written);
    }
}
