package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import com.github.luben.zstd.ZstdInputStream;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Sha256;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;

/**
 * {@code uplift db import}: loads an export ({@code db move --export-dir}) into an empty database.
 *
 * <pre>
 * 1. every file's size and SHA-256 against manifest.json; any difference refuses, before anything is written
 * 2. pre-data.sql through JDBC, statement by statement (never psql: see ExportScript), in one transaction with the
 *    import's record and the check that every table and column the manifest names is there (ImportTables)
 * 3. the data files with COPY FROM STDIN, in manifest order, N in parallel, decompressed on the fly
 * 4. large objects: their COPY file into a temporary table, then lo_from_bytea / lo_put
 * 5. post-data.sql the same way (indexes, constraints, triggers), then the sequence values, then ANALYZE
 * </pre>
 * Resumable: each step commits together with its done-record in the target (the move's own record,
 * schema uplift_move, naming the export by the SHA-256 of its manifest), and a data file's rows and
 * its record share one transaction. A failed or killed import continues with {@code resume}: the
 * done steps and files are skipped. The record is dropped when the import has finished.
 */
public final class DatabaseImport {
    private static final int COPY_BUFFER = 256 * 1024;

    public record Result(int files, long rows, long bytes, int sequences, long largeObjects, Duration took) {}

    private final Path dir;
    private final PgUrl target;
    private final int threads;
    private final MoveListener listener;
    private final boolean resume;

    /**
     * @param pgToolsDir not used any more: the export's SQL goes through JDBC, not psql (kept so callers and
     *                   scripts that pass --pg-tools-dir keep working)
     */
    public DatabaseImport(Path dir, PgUrl target, int threads, Optional<Path> pgToolsDir, MoveListener listener, boolean resume) {
        this.dir = dir.toAbsolutePath().normalize();
        this.target = target;
        this.threads = threads;
        this.listener = listener;
        this.resume = resume;
    }

    /**
     * Reads the manifest and checks every file it names against its size and SHA-256 (in parallel).
     * Throws, naming each file that is missing or differs.
     */
    public static ExportManifest verify(Path folder, int threads) {
        Path dir = folder.toAbsolutePath().normalize();
        ExportManifest m = ExportManifest.read(dir);
        List<ExportManifest.FileEntry> files = m.allFiles();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        ConcurrentLinkedQueue<ExportManifest.FileEntry> queue = new ConcurrentLinkedQueue<>(files);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, files.size())));
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < Math.max(1, Math.min(threads, files.size())); i++) {
                workers.add(pool.submit(() -> {
                    ExportManifest.FileEntry e;
                    while ((e = queue.poll()) != null) {
                        String problem = check(dir, e);
                        if (problem != null) {
                            problems.add(problem);
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
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "Checking the export was interrupted; nothing was imported.", e);
        } catch (ExecutionException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "Checking the export failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        if (!problems.isEmpty()) {
            List<String> sorted = new ArrayList<>(problems);
            Collections.sort(sorted);
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The export in " + dir + " does not match its manifest: "
                    + String.join("; ", sorted) + ". Nothing was imported. Copy the export again from its origin (or export again with"
                    + " 'uplift db move --export-dir').");
        }
        return m;
    }

    private static String check(Path dir, ExportManifest.FileEntry e) throws IOException {
        if (e == null || e.file() == null) {
            return "the manifest lists a file without a name";
        }
        Path f = dir.resolve(e.file()).normalize();
        if (!f.startsWith(dir)) {
            return e.file() + " lies outside the export folder";
        }
        if (!Files.isRegularFile(f)) {
            return e.file() + " is missing";
        }
        long size = Files.size(f);
        if (size != e.bytes()) {
            return e.file() + " has " + size + " bytes, the manifest says " + e.bytes();
        }
        String sha = Sha256.hex(f);
        return sha.equals(e.sha256()) ? null : e.file() + " has SHA-256 " + sha + ", the manifest says " + e.sha256();
    }

    public Result run() {
        long start = System.nanoTime();
        listener.phase("checking every file of " + dir + " against " + ExportManifest.FILE);
        ExportManifest m = verify(dir, threads);
        // Both scripts are read and checked before anything is written: one that holds a psql command is refused whole.
        List<ExportScript.Statement> pre = script(m.preData().file());
        List<ExportScript.Statement> post = script(m.postData().file());
        try {
            String exportId = exportId();
            try (Connection schema = MoveConnections.open(target)) {
                // The record, pre-data and the check that it made every table the manifest names: one transaction, so a
                // manifest naming anything else leaves the target as empty as it was.
                inTransaction(schema, () -> {
                    prepareTarget(schema, exportId);
                    if (!MoveProgress.phaseDone(schema, "pre-data")) {
                        listener.phase("schema: pre-data.sql (" + pre.size() + " statements)");
                        runScript(schema, pre, m.preData().file());
                        MoveProgress.markPhase(schema, "pre-data");
                    }
                    ImportTables.check(schema, m);
                });
            }
            try (Connection conn = MoveConnections.open(target)) {
                long totalCopyBytes = m.data().stream().mapToLong(ExportManifest.DataFile::copyBytes).sum();
                Set<String> done = MoveProgress.doneChunks(conn);
                List<ExportManifest.DataFile> todo = m.data().stream().filter(f -> !done.contains(f.file())).toList();
                listener.phase("rows: " + todo.size() + " of " + m.data().size() + " files, " + threads + (threads == 1 ? " thread" : " threads"));
                long alreadyBytes = m.data().stream().filter(f -> done.contains(f.file())).mapToLong(ExportManifest.DataFile::copyBytes).sum();
                long[] loaded = loadData(todo, alreadyBytes, totalCopyBytes);
                long largeObjects = 0;
                if (m.largeObjects() != null && !MoveProgress.phaseDone(conn, "large-objects")) {
                    listener.phase("large objects: " + m.largeObjects().count());
                    largeObjects = loadLargeObjects(conn, m.largeObjects());
                }
                if (!MoveProgress.phaseDone(conn, "post-data")) {
                    listener.phase("schema: post-data.sql (indexes, constraints, triggers; " + post.size() + " statements)");
                    try (Connection schema = MoveConnections.open(target)) {
                        inTransaction(schema, () -> {
                            runScript(schema, post, m.postData().file());
                            MoveProgress.markPhase(schema, "post-data");
                        });
                    }
                }
                listener.phase("sequences: " + m.sequences().size());
                try (PreparedStatement ps = conn.prepareStatement("SELECT pg_catalog.setval(CAST(? AS pg_catalog.regclass), ?, ?)")) {
                    for (ExportManifest.SequenceValue v : m.sequences()) {
                        ps.setString(1, v.name()); // a value, never SQL text
                        ps.setLong(2, v.lastValue());
                        ps.setBoolean(3, v.isCalled());
                        ps.executeQuery().close();
                    }
                }
                listener.phase("ANALYZE");
                try (Statement st = conn.createStatement()) {
                    st.execute("ANALYZE");
                }
                MoveProgress.drop(conn);
                return new Result(m.data().size(), loaded[0], loaded[1], m.sequences().size(), largeObjects,
                        Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (SQLException | IOException e) {
            throw failed(e);
        }
    }

    /** Work on the target that commits whole or not at all. */
    private interface Work {
        void run() throws SQLException, IOException;
    }

    private static void inTransaction(Connection conn, Work work) throws SQLException, IOException {
        conn.setAutoCommit(false);
        try {
            work.run();
            conn.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(true);
        }
    }

    /** One of the export's SQL files, read and cut into statements; a psql command anywhere in it refuses the import. */
    private List<ExportScript.Statement> script(String file) {
        Path path = dir.resolve(file);
        try {
            return ExportScript.split(ScriptEncoding.decode(Files.readAllBytes(path)));
        } catch (ExportScript.Refused | ScriptEncoding.Unsupported e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, path + ", " + e.getMessage() + ". Nothing was imported: an export's SQL"
                    + " files hold plain SQL only. Use the export as the move wrote it (copy it again from its origin, or export again with"
                    + " 'uplift db move --export-dir').", e);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "Reading " + path + " failed: " + e.getMessage() + ". Nothing was imported.", e);
        }
    }

    /** The statements one by one through JDBC (no psql: see {@link ExportScript}), in the caller's transaction. */
    private static void runScript(Connection conn, List<ExportScript.Statement> statements, String file) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.setEscapeProcessing(false);
            for (ExportScript.Statement s : statements) {
                try {
                    st.execute(s.sql());
                } catch (SQLException e) {
                    throw new SQLException(file + " line " + s.line() + ": " + e.getMessage() + " (nothing of " + file
                            + " was kept: one transaction)", e.getSQLState(), e);
                }
            }
        }
    }

    /** What the import's record names the export by: its manifest, which names every file's SHA-256. */
    private String exportId() throws IOException {
        return "export " + Sha256.hex(dir.resolve(ExportManifest.FILE));
    }

    /**
     * A new import needs an empty database; a resumed one needs the record of an import of this same
     * export. The record is created before anything else, so every later step can be recorded.
     */
    private void prepareTarget(Connection conn, String exportId) throws SQLException {
        boolean started = MoveProgress.exists(conn);
        long objects = userObjects(conn);
        if (!resume && (objects > 0 || started)) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The target " + target + " is not empty (" + objects
                    + " tables, views or sequences" + (started ? ", and the record of an unfinished import or move" : "") + "). An import"
                    + " writes only into an empty database: create a new one" + (started ? ", or pass --resume to finish that import." : "."));
        }
        if (resume && !started && objects > 0) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The target " + target + " holds " + objects + " tables, views or sequences"
                    + " but no record of an unfinished import (a finished import drops its record), so there is nothing to resume."
                    + " To import again, create a new, empty database.");
        }
        if (started && !exportId.equals(MoveProgress.source(conn))) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The target " + target + " holds an unfinished import or move of something"
                    + " else (" + MoveProgress.source(conn) + "), not of " + dir + " (" + exportId + "). Resume that one, or import into a"
                    + " new, empty database.");
        }
        MoveProgress.create(conn, exportId);
    }

    private UpliftException failed(Exception e) {
        return new UpliftException(ErrorCode.DATABASE_MOVE, "Importing " + dir + " into " + target + " stopped: " + e.getMessage()
                + ". What finished is recorded in the target; fix the cause and run the same command with --resume.", e);
    }

    static long userObjects(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND " + Inventory.SYSTEM_SCHEMAS)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The export's own decompression: plain files as they are, zstd files through zstd-jni, streamed. */
    static InputStream open(Path dir, ExportManifest.DataFile f) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(dir.resolve(f.file())), COPY_BUFFER);
        return switch (f.compression()) {
            case "zstd" -> new ZstdInputStream(in);
            case "none" -> in;
            default -> {
                in.close();
                throw new IOException(f.file() + " has compression " + f.compression() + ", not none or zstd");
            }
        };
    }

    private long[] loadData(List<ExportManifest.DataFile> files, long alreadyBytes, long totalBytes) {
        ConcurrentLinkedQueue<ExportManifest.DataFile> queue = new ConcurrentLinkedQueue<>(files);
        AtomicLong rows = new AtomicLong();
        AtomicLong bytes = new AtomicLong(alreadyBytes);
        if (files.isEmpty()) {
            return new long[] {0, 0};
        }
        AtomicBoolean failed = new AtomicBoolean();
        int n = Math.max(1, Math.min(threads, files.size()));
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                workers.add(pool.submit(() -> {
                    try (Connection conn = MoveConnections.open(target)) {
                        conn.setAutoCommit(false);
                        ExportManifest.DataFile f;
                        while (!failed.get() && (f = queue.poll()) != null) {
                            try (InputStream in = open(dir, f)) {
                                long loaded = conn.unwrap(PGConnection.class).getCopyAPI().copyIn(f.copyFromStdin(), in, COPY_BUFFER);
                                if (loaded != f.rows()) {
                                    throw new IOException(f.file() + " loaded " + loaded + " rows, the manifest says " + f.rows());
                                }
                                MoveProgress.fileDone(conn, f.file(), loaded, f.copyBytes()); // the rows and their record commit together
                                conn.commit();
                                rows.addAndGet(loaded);
                                bytes.addAndGet(f.copyBytes());
                                listener.bytes().progress(Math.min(bytes.get(), totalBytes), Math.max(1, totalBytes));
                            } catch (SQLException | IOException | RuntimeException e) {
                                failed.set(true);
                                conn.rollback();
                                throw new IOException("loading " + f.file() + " into " + f.qualified() + " failed: " + e.getMessage(), e);
                            }
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
            throw failed(e);
        } catch (ExecutionException e) {
            throw failed(e.getCause() instanceof Exception x ? x : e);
        } finally {
            pool.shutdownNow();
        }
        return new long[] {rows.get(), bytes.get() - alreadyBytes};
    }

    /** The large objects' file is always loaded into this temporary table, whatever its manifest entry says. */
    private static final String LO_COPY = "COPY pg_temp.uplift_lo_pieces (loid, off, data) FROM STDIN WITH (FORMAT binary)";

    /** The SQL that turns the pieces table into large objects (README shows the same for psql). */
    static final String LO_FROM_PIECES = "SELECT lo_unlink(m.oid) FROM pg_largeobject_metadata m "
            + "WHERE m.oid IN (SELECT loid FROM pg_temp.uplift_lo_pieces);\n"
            + "SELECT lo_from_bytea(loid, '') FROM (SELECT DISTINCT loid FROM pg_temp.uplift_lo_pieces) s;\n"
            + "SELECT lo_put(loid, off, data) FROM pg_temp.uplift_lo_pieces ORDER BY loid, off;\n"
            + "DROP TABLE pg_temp.uplift_lo_pieces;";

    /** All large objects in one transaction, with their done-mark. */
    private long loadLargeObjects(Connection conn, ExportManifest.LargeObjects lo) throws SQLException, IOException {
        inTransaction(conn, () -> {
            try (Statement st = conn.createStatement()) {
                st.execute("CREATE TEMPORARY TABLE uplift_lo_pieces (loid oid, off bigint, data bytea)");
                try (InputStream in = open(dir, lo.file())) {
                    conn.unwrap(PGConnection.class).getCopyAPI().copyIn(LO_COPY, in, COPY_BUFFER);
                }
                for (String sql : LO_FROM_PIECES.split(";\n")) {
                    st.execute(sql.replaceAll(";$", ""));
                }
                MoveProgress.markPhase(conn, "large-objects");
            }
        });
        return lo.count();
    }
}
