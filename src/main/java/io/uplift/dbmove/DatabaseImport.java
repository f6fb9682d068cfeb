package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code uplift db import}: loads an export ({@code db move --export-dir}) into an empty database.
 *
 * <pre>
 * 1. every file's size and SHA-256 against manifest.json; any difference refuses, before anything is written
 *    (ExportFilesCheck)
 * 2. pre-data.sql through JDBC, statement by statement (never psql: see ExportScript), in one transaction with the
 *    import's record and the check that every table and column the manifest names is there (ImportTables)
 * 3. the data files with COPY FROM STDIN, in manifest order, N in parallel, decompressed on the fly (ImportRows)
 * 4. large objects: their COPY file into a temporary table, then lo_from_bytea / lo_put (ImportLargeObjects)
 * 5. post-data.sql the same way (indexes, constraints, triggers), then the sequence values, then ANALYZE
 * </pre>
 * Resumable: each step commits together with its done-record in the target (the move's own record,
 * schema uplift_move, naming the export by the SHA-256 of its manifest), and a data file's rows and
 * its record share one transaction. A failed or killed import continues with {@code resume}: the
 * done steps and files are skipped. The record is dropped when the import has finished.
 */
public final class DatabaseImport {
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
        return ExportFilesCheck.verify(folder, threads);
    }

    public Result run() {
        long start = System.nanoTime();
        listener.phase("checking every file of " + dir + " against " + ExportManifest.FILE);
        ExportManifest m = ExportFilesCheck.verify(dir, threads);
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
                ImportRows.Loaded loaded = new ImportRows(dir, target, threads, listener).load(todo, alreadyBytes, totalCopyBytes, this::failed);
                long largeObjects = 0;
                if (m.largeObjects() != null && !MoveProgress.phaseDone(conn, "large-objects")) {
                    listener.phase("large objects: " + m.largeObjects().count());
                    largeObjects = ImportLargeObjects.load(conn, dir, m.largeObjects());
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
                return new Result(m.data().size(), loaded.rows(), loaded.bytes(), m.sequences().size(), largeObjects,
                        Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (SQLException | IOException e) {
            throw failed(e);
        }
    }

    /** Work on the target that commits whole or not at all. */
    interface Work {
        void run() throws SQLException, IOException;
    }

    static void inTransaction(Connection conn, Work work) throws SQLException, IOException {
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

    private UpliftException failed(Throwable e) {
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
}
