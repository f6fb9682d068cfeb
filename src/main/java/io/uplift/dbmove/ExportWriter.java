package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.PgTools;
import io.uplift.db.Sha256;
import io.uplift.db.ToolRun;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Writes the export of {@code db move --export-dir} in the move's own pass: as a chunk's COPY bytes
 * go to the target they also go, through zstd at the chosen level (or plain), to
 * {@code data/<schema>.<table>.<i>-of-<n>.copy[.zst].partial}; the file is renamed to its real name
 * once the chunk is committed on the target, and deleted when the chunk is abandoned. Nothing is
 * held in memory beyond a buffer.
 *
 * <p>Each finished file is appended to {@code .export-progress.jsonl} (name, size, SHA-256), so a
 * resumed move knows which chunks already have their file; chunks done on the target in an earlier
 * run without a file are exported again from the source alone ({@link #backfill}). The manifest is
 * written last.
 */
final class ExportWriter implements ChunkCopier.Tee {
    static final String PROGRESS = ".export-progress.jsonl";
    static final String PRE_DATA = "pre-data.sql";
    static final String POST_DATA = "post-data.sql";
    static final String SEQUENCES = "sequences.sql";
    static final String PARTIAL = ".partial";
    private static final int BUFFER = 256 * 1024;
    private static final ObjectMapper LINE = new ObjectMapper();

    /** One finished file: a line of the progress file. */
    record Written(String chunk, String file, String compression, int zstdLevel, long copyBytes, long bytes, String sha256) {}

    private final Path dir;
    private final MoveSettings.Compression compression;
    private final Map<String, Written> written = new ConcurrentHashMap<>();
    private ExportManifest.FileEntry preData;
    private ExportManifest.FileEntry postData;
    private ExportManifest.FileEntry sequencesSql;
    private List<ExportManifest.SequenceValue> sequences = List.of();
    private ExportManifest.LargeObjects largeObjects;

    private ExportWriter(Path dir, MoveSettings.Compression compression) {
        this.dir = dir;
        this.compression = compression;
    }

    /**
     * A fresh move needs an empty (or new) folder; a resumed one keeps the files its earlier runs
     * finished and drops their half-written ones.
     */
    static ExportWriter open(Path folder, MoveSettings.Compression compression, boolean resume) {
        Path dir = folder.toAbsolutePath().normalize();
        ExportWriter w = new ExportWriter(dir, compression);
        try {
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new UpliftException(ErrorCode.USAGE, "--export-dir " + dir + " is a file, not a folder.");
            }
            if (!resume && Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    List<String> names = entries.filter(p -> !(p.getFileName().toString().equals("data") && isEmptyDir(p)))
                            .map(p -> p.getFileName().toString()).filter(n -> !n.equals(SourceIndexes.FILE)).toList();
                    if (!names.isEmpty()) {
                        throw new UpliftException(ErrorCode.USAGE, "--export-dir " + dir + " is not empty (" + names.size()
                                + " entries, e.g. " + names.get(0) + "). An export goes into a new or empty folder; --resume continues"
                                + " the export of an interrupted move in the same folder.");
                    }
                }
            }
            OwnerOnly.folder(dir);
            OwnerOnly.folder(dir.resolve("data"));
            if (resume) {
                w.loadFinished();
            }
            Files.deleteIfExists(dir.resolve(ExportManifest.FILE));
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The export folder " + dir + " cannot be prepared: " + e.getMessage(), e);
        }
        return w;
    }

    Path dir() {
        return dir;
    }

    private static boolean isEmptyDir(Path p) {
        try (Stream<Path> in = Files.list(p)) {
            return in.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private void loadFinished() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("data"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(PARTIAL)).toList()) {
                Files.delete(p);
            }
        }
        Path progress = dir.resolve(PROGRESS);
        List<Written> earlier = new ArrayList<>();
        Path manifest = dir.resolve(ExportManifest.FILE);
        if (Files.isRegularFile(manifest)) {
            ExportManifest m = ExportManifest.JSON.readValue(manifest.toFile(), ExportManifest.class);
            for (ExportManifest.DataFile d : m.data() == null ? List.<ExportManifest.DataFile>of() : m.data()) {
                earlier.add(new Written(d.schema() + "." + d.table() + "#" + d.chunk() + "/" + d.of(), d.file(), d.compression(),
                        d.zstdLevel(), d.copyBytes(), d.bytes(), d.sha256()));
            }
        }
        if (Files.isRegularFile(progress)) {
            for (String line : Files.readAllLines(progress, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    try {
                        earlier.add(LINE.readValue(line, Written.class));
                    } catch (IOException e) {
                        // a line torn by a crash: its chunk is exported again
                    }
                }
            }
        }
        for (Written e : earlier) {
            Path f = dir.resolve(e.file());
            if (Files.isRegularFile(f) && Files.size(f) == e.bytes()) {
                written.put(e.chunk(), e);
            }
        }
    }

    // ---------------------------------------------------------------- chunk files

    static String fileName(Chunk chunk, MoveSettings.Compression compression) {
        return "data/" + safe(chunk.table().schema()) + "." + safe(chunk.table().name()) + "." + chunk.index() + "-of-" + chunk.of()
                + ".copy" + (compression == MoveSettings.Compression.NONE ? "" : ".zst");
    }

    /** Names as they are, except what a file name cannot hold or would make ambiguous: %XX. */
    static String safe(String name) {
        StringBuilder b = new StringBuilder();
        for (byte c : name.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    @Override
    public ChunkCopier.Sink open(Chunk chunk) throws IOException {
        return new ExportFileSink(dir, chunk.id(), fileName(chunk, compression), compression, this::record);
    }

    /** The chain of the caller's tee and this one: both see every chunk. */
    ChunkCopier.Tee after(ChunkCopier.Tee first) {
        if (first == ChunkCopier.Tee.NONE) {
            return this;
        }
        return chunk -> {
            ChunkCopier.Sink a = first.open(chunk);
            ChunkCopier.Sink b;
            try {
                b = open(chunk);
            } catch (IOException | RuntimeException e) {
                a.close();
                throw e;
            }
            return new ChunkCopier.Sink() {
                @Override
                public void write(byte[] bytes, int off, int len) throws IOException {
                    a.write(bytes, off, len);
                    b.write(bytes, off, len);
                }

                @Override
                public void finish() throws IOException {
                    a.finish();
                    b.finish();
                }

                @Override
                public void close() throws IOException {
                    try {
                        a.close();
                    } finally {
                        b.close();
                    }
                }
            };
        };
    }

    boolean has(Chunk chunk) {
        return written.containsKey(chunk.id());
    }

    private synchronized void record(Written w) throws IOException {
        written.put(w.chunk(), w);
        byte[] line = (LINE.writeValueAsString(w) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = OwnerOnly.append(dir.resolve(PROGRESS))) {
            ch.write(java.nio.ByteBuffer.wrap(line));
            ch.force(true);
        }
    }

    // ---------------------------------------------------------------- chunks done in an earlier run

    /**
     * Exports, from the source alone (COPY in the move's snapshot into the same kind of file), every
     * chunk that is done on the target but has no file yet: chunks an earlier run copied without
     * --export-dir, or whose file was not renamed before that run died.
     */
    int backfill(List<Chunk> chunks, MoveSettings settings, String snapshot, Filters filters, MoveListener listener) {
        List<Chunk> missing = chunks.stream().filter(c -> !has(c)).toList();
        if (missing.isEmpty()) {
            return 0;
        }
        listener.phase("export: " + missing.size() + " chunks copied in an earlier run, from the source into " + dir);
        ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>(missing);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.threads(), missing.size()));
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < Math.min(settings.threads(), missing.size()); i++) {
                workers.add(pool.submit(() -> {
                    try (Connection source = MoveConnections.inSnapshot(settings.source(), snapshot)) {
                        Chunk chunk;
                        while ((chunk = queue.poll()) != null) {
                            exportFromSource(chunk, filters.predicate(chunk.table()), source);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The export was interrupted; run the move again with --resume.", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "Exporting the chunks of an earlier run failed: " + cause.getMessage()
                    + ". Run the move again with --resume.", cause);
        } finally {
            pool.shutdownNow();
        }
        return missing.size();
    }

    private void exportFromSource(Chunk chunk, String filter, Connection source) throws SQLException, IOException {
        CopyOut out = null;
        try (ChunkCopier.Sink sink = open(chunk)) {
            out = source.unwrap(PGConnection.class).getCopyAPI().copyOut(ChunkCopier.selectSql(chunk, filter));
            byte[] buf;
            while ((buf = out.readFromCopy()) != null) {
                sink.write(buf);
            }
            out = null;
            sink.finish();
        } finally {
            if (out != null && out.isActive()) {
                try {
                    out.cancelCopy();
                } catch (SQLException e) {
                    // the connection goes with the failure
                }
            }
        }
    }

    // ---------------------------------------------------------------- schema, sequences, large objects

    /** The move's own pre-data dump, taken before its done-mark was appended. */
    void preData(Path dumped) throws IOException {
        Path partial = dir.resolve(PRE_DATA + PARTIAL);
        try (java.io.OutputStream out = java.nio.channels.Channels.newOutputStream(OwnerOnly.create(partial))) {
            Files.copy(dumped, out);
        }
        preData = seal(partial, PRE_DATA);
    }

    boolean hasPreData() {
        return preData != null;
    }

    /** A resumed move whose schema is already on the target: dump pre-data again, in the same snapshot. */
    void dumpPreData(SchemaSections sections, PgUrl source, String snapshot) throws IOException {
        Path partial = dir.resolve(PRE_DATA + PARTIAL);
        OwnerOnly.createEmpty(partial); // pg_dump truncates it and keeps its mode
        sections.dumpPreData(source, snapshot, partial);
        preData = seal(partial, PRE_DATA);
    }

    /**
     * post-data.sql: the move's custom-format post-data dump printed as SQL by pg_restore -f (no
     * server involved), then the definitions of the source indexes --drop-source-indexes dropped.
     */
    void postData(PgTools tools, Path customDump, List<String> extraIndexes) throws IOException {
        Path partial = dir.resolve(POST_DATA + PARTIAL);
        OwnerOnly.createEmpty(partial); // pg_restore truncates it and keeps its mode
        ToolRun.Result r = ToolRun.run(List.of(tools.pgRestore().toString(), "--no-owner", "--no-privileges", "--file=" + partial,
                customDump.toString()), Map.of(), line -> { }, Duration.ofHours(1), ErrorCode.DATABASE_MOVE);
        if (r.exitCode() != 0) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "pg_restore --file (the export's post-data.sql) failed with exit code "
                    + r.exitCode() + ": " + r.stderrTail().strip());
        }
        if (!extraIndexes.isEmpty()) {
            StringBuilder b = new StringBuilder("\n--\n-- Indexes that --drop-source-indexes dropped on the source before the move\n--\n\n");
            extraIndexes.forEach(d -> b.append(d).append(";\n\n"));
            Files.writeString(partial, b.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        postData = seal(partial, POST_DATA);
    }

    /** Sequence values as the snapshot sees them, into the manifest and sequences.sql. */
    void sequences(Connection coordinator, List<String> names) throws SQLException, IOException {
        List<ExportManifest.SequenceValue> values = new ArrayList<>();
        for (String seq : names) {
            try (Statement st = coordinator.createStatement(); ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + seq)) {
                rs.next();
                values.add(new ExportManifest.SequenceValue(seq, rs.getLong(1), rs.getBoolean(2)));
            }
        }
        StringBuilder b = new StringBuilder("-- Sequence values of the export (the same as in manifest.json); psql -f after the data.\n");
        values.forEach(v -> b.append(v.setval()).append('\n'));
        byte[] sql = b.toString().getBytes(StandardCharsets.UTF_8);
        DurableFiles.write(dir.resolve(SEQUENCES), sql); // 0600 from its first instant, like every file of the export
        sequencesSql = new ExportManifest.FileEntry(SEQUENCES, sql.length, Sha256.hex(sql));
        sequences = List.copyOf(values);
    }

    /** Every large object into data/large-objects.copy[.zst] (see {@link ExportLargeObjects}). */
    void largeObjects(Connection coordinator) throws SQLException, IOException {
        String file = "data/large-objects.copy" + (compression == MoveSettings.Compression.NONE ? "" : ".zst");
        largeObjects = ExportLargeObjects.write(coordinator, () -> new ExportFileSink(dir, "large-objects", file, compression, this::record),
                () -> written.remove("large-objects"));
    }

    private static ExportManifest.FileEntry seal(Path partial, String name) throws IOException {
        Path target = partial.resolveSibling(name);
        String sha = Sha256.hex(partial);
        try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        DurableFiles.moveIntoPlace(partial, target);
        return new ExportManifest.FileEntry(name, Files.size(target), sha);
    }

    // ---------------------------------------------------------------- manifest

    /**
     * Writes manifest.json, last: every chunk's file (rows from the target's done-records), in load
     * order. Refuses if a chunk has no file: such an export would be silently incomplete.
     */
    Path writeManifest(Connection target, List<Chunk> chunks, String sourceVersion, String sourceDatabase, String pgDumpVersion,
            Optional<Path> sourceIndexesFile) throws SQLException, IOException {
        Map<String, Long> rows = new HashMap<>();
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT id, rows FROM " + MoveProgress.SCHEMA + ".chunk")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        List<ExportManifest.DataFile> data = new ArrayList<>();
        int order = 0;
        for (Chunk c : chunks) {
            Written w = written.get(c.id());
            Long n = rows.get(c.id());
            if (w == null || n == null) {
                throw new UpliftException(ErrorCode.DATABASE_MOVE, "The export in " + dir + " has no file for " + c.id()
                        + "; run the move again with --resume to complete it.");
            }
            TableInfo t = c.table();
            data.add(new ExportManifest.DataFile(++order, w.file(), t.schema(), t.name(), t.qualified(), t.columns(), c.index(), c.of(),
                    c.range(), t.binary() ? "binary" : "text", w.compression(), w.zstdLevel(), n, w.copyBytes(), w.bytes(), w.sha256()));
        }
        ExportManifest m = new ExportManifest(ExportManifest.FORMAT, ExportManifest.FORMAT_VERSION, sourceVersion, sourceDatabase,
                Instant.now().toString(), pgDumpVersion, compression.name().toLowerCase(java.util.Locale.ROOT), preData, postData,
                sequencesSql, data, sequences, largeObjects, sourceIndexesFile.map(p -> p.getFileName().toString()).orElse(null));
        DurableFiles.write(dir.resolve(ExportManifest.FILE), ExportManifest.JSON.writeValueAsBytes(m));
        Files.deleteIfExists(dir.resolve(PROGRESS));
        return dir.resolve(ExportManifest.FILE);
    }

    /** For the CLI's summary: files and bytes on disk of the data files. */
    long dataBytes() {
        return written.values().stream().mapToLong(Written::bytes).sum();
    }
}
