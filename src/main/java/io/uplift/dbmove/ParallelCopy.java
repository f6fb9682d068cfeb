package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.WorkerPool;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N workers on a {@link WorkerPool}, each with one source connection (in the shared snapshot) and
 * one target connection, taking chunks from one queue, largest first. The first failure stops the
 * others (a chunk under way rolls back, unless it was already committed); every chunk committed so
 * far stays committed and recorded. The byte bar is drawn from the pool's one reporting thread
 * while the workers run, and from the caller once they and that thread have ended: a terminal bar
 * is not thread-safe.
 */
final class ParallelCopy {
    record Totals(long rows, long bytes) {}

    private static final Duration REPORT_EVERY = Duration.ofMillis(500);

    private final MoveSettings settings;
    private final String snapshot;
    private final Filters filters;
    private final ChunkCopier.Tee tee;
    private final MoveListener listener;
    private final LoadProof proof;

    ParallelCopy(MoveSettings settings, String snapshot, Filters filters, ChunkCopier.Tee tee, MoveListener listener, LoadProof proof) {
        this.settings = settings;
        this.proof = proof;
        this.snapshot = snapshot;
        this.filters = filters;
        this.tee = tee;
        this.listener = listener;
    }

    Totals run(List<Chunk> chunks, long estimatedBytes) {
        Counts counts = new Counts(chunks);
        reportProgress(counts.bytes, estimatedBytes); // before the reporting thread starts: one thread at a time
        try (WorkerPool pool = WorkerPool.start("uplift-move-worker", settings.threads())) {
            pool.reportEvery(REPORT_EVERY, () -> reportProgress(counts.bytes, estimatedBytes));
            pool.drain(chunks, () -> new Worker(counts), this::failure);
        } // close() has stopped the reporting thread: the final figure is drawn after its last one
        long done = Math.max(counts.bytes.get(), estimatedBytes);
        listener.bytes().progress(done, done);
        return new Totals(counts.rows.get(), counts.bytes.get());
    }

    /** Short of the end until the caller draws the final figure: the estimate may be below what is really copied. */
    private void reportProgress(AtomicLong bytes, long estimated) {
        long done = bytes.get();
        listener.bytes().progress(Math.min(done, Math.max(estimated, done) - 1), Math.max(estimated, done));
    }

    private UpliftException failure(Throwable cause) {
        if (cause instanceof InterruptedException) {
            return new UpliftException(ErrorCode.DATABASE_MOVE, "The move was interrupted; run it again with --resume.", cause);
        }
        return new UpliftException(ErrorCode.DATABASE_MOVE, "Copying rows failed: " + cause.getMessage()
                + ". Every chunk finished before is kept; run the same command with --resume.", cause);
    }

    /** What the workers add up: rows and bytes in all, each table's figures, and each table's chunks still to copy. */
    private static final class Counts {
        final AtomicLong rows = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final Map<String, long[]> perTable = new ConcurrentHashMap<>();
        final Map<String, Integer> chunksLeft = new ConcurrentHashMap<>();
        final long start = System.nanoTime();

        Counts(List<Chunk> chunks) {
            chunks.forEach(c -> chunksLeft.merge(c.table().label(), 1, Integer::sum));
        }
    }

    /** One pool thread's connections, and the copy of each chunk it takes. */
    private final class Worker implements WorkerPool.Worker<Chunk, Void> {
        private final Counts counts;
        private final Connection source;
        private final Connection target;

        Worker(Counts counts) throws java.sql.SQLException {
            this.counts = counts;
            this.source = MoveConnections.inSnapshot(settings.source(), snapshot);
            try {
                this.target = MoveConnections.open(settings.target());
                target.setAutoCommit(false);
            } catch (java.sql.SQLException | RuntimeException e) {
                source.close();
                throw e;
            }
        }

        @Override
        public Void accept(Chunk chunk) {
            try {
                ChunkCopier.Copied c = ChunkCopier.copy(chunk, filters.predicate(chunk.table()), source, target, tee, counts.bytes::addAndGet,
                        settings.validate(), proof);
                counts.rows.addAndGet(c.rows());
                long[] t = counts.perTable.computeIfAbsent(chunk.table().label(), k -> new long[2]);
                synchronized (t) {
                    t[0] += c.rows();
                    t[1] += c.bytes();
                }
                if (counts.chunksLeft.merge(chunk.table().label(), -1, Integer::sum) == 0) {
                    listener.tableCopied(chunk.table().label(), t[0], t[1], Duration.ofNanos(System.nanoTime() - counts.start));
                }
                return null;
            } catch (Exception e) {
                throw new UpliftException(ErrorCode.DATABASE_MOVE, "Copying " + chunk.id() + " failed: " + e.getMessage()
                        + ". Every chunk finished before is kept; fix the cause and run the same command with --resume.", e);
            }
        }

        @Override
        public void close() throws java.sql.SQLException {
            try (Connection s = source; Connection t = target) {
                // both closed, the target first
            }
        }
    }
}
