package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import com.github.luben.zstd.ZstdInputStream;
import io.uplift.db.WorkerPool;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;

/**
 * The rows step of an import: the export's data files with COPY FROM STDIN, N side by side on a
 * {@link WorkerPool} (one target connection per thread), decompressed on the fly. A file's rows and
 * its done-record commit in one transaction, so a resumed import skips exactly the files loaded.
 * The byte bar is drawn from the pool's one reporting thread, then once more when all have ended.
 */
final class ImportRows {
    static final int COPY_BUFFER = 256 * 1024;
    private static final Duration REPORT_EVERY = Duration.ofMillis(500);

    /** What this run loaded (files done by an earlier run not counted). */
    record Loaded(long rows, long bytes) {}

    private final Path dir;
    private final PgUrl target;
    private final int threads;
    private final MoveListener listener;

    ImportRows(Path dir, PgUrl target, int threads, MoveListener listener) {
        this.dir = dir;
        this.target = target;
        this.threads = threads;
        this.listener = listener;
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

    /**
     * Loads {@code files}; {@code alreadyBytes} of {@code totalBytes} were loaded by an earlier run.
     * {@code failure} turns a failed file (or an interrupt) into the import's error.
     */
    Loaded load(List<ExportManifest.DataFile> files, long alreadyBytes, long totalBytes, WorkerPool.Failure failure) {
        if (files.isEmpty()) {
            return new Loaded(0, 0);
        }
        AtomicLong rows = new AtomicLong();
        AtomicLong bytes = new AtomicLong(alreadyBytes);
        try (WorkerPool pool = WorkerPool.start("uplift-import", Math.max(1, Math.min(threads, files.size())))) {
            pool.reportEvery(REPORT_EVERY, () -> report(bytes, totalBytes));
            pool.drain(files, () -> new Loader(rows, bytes), failure);
        } // close() has stopped the reporting thread: the last figure is drawn after its last one
        report(bytes, totalBytes);
        return new Loaded(rows.get(), bytes.get() - alreadyBytes);
    }

    private void report(AtomicLong bytes, long totalBytes) {
        listener.bytes().progress(Math.min(bytes.get(), totalBytes), Math.max(1, totalBytes));
    }

    /** One pool thread's target connection, and the load of each file it takes. */
    private final class Loader implements WorkerPool.Worker<ExportManifest.DataFile, Void> {
        private final AtomicLong rows;
        private final AtomicLong bytes;
        private final Connection conn;

        Loader(AtomicLong rows, AtomicLong bytes) throws SQLException {
            this.rows = rows;
            this.bytes = bytes;
            this.conn = MoveConnections.open(target);
            try {
                conn.setAutoCommit(false);
            } catch (SQLException | RuntimeException e) {
                conn.close();
                throw e;
            }
        }

        @Override
        public Void accept(ExportManifest.DataFile f) throws IOException, SQLException {
            try (InputStream in = open(dir, f)) {
                long loaded = conn.unwrap(PGConnection.class).getCopyAPI().copyIn(f.copyFromStdin(), in, COPY_BUFFER);
                if (loaded != f.rows()) {
                    throw new IOException(f.file() + " loaded " + loaded + " rows, the manifest says " + f.rows());
                }
                MoveProgress.fileDone(conn, f.file(), loaded, f.copyBytes()); // the rows and their record commit together
                conn.commit();
                rows.addAndGet(loaded);
                bytes.addAndGet(f.copyBytes());
                return null;
            } catch (SQLException | IOException | RuntimeException e) {
                conn.rollback();
                throw new IOException("loading " + f.file() + " into " + f.qualified() + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws SQLException {
            conn.close();
        }
    }
}
