package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N workers, each with one source connection (in the shared snapshot) and one target connection,
 * taking chunks from one queue, largest first. The first failure stops the others after their
 * current chunk; every chunk committed so far stays committed and recorded.
 */
final class ParallelCopy {
    record Totals(long rows, long bytes) {}

    private final MoveSettings settings;
    private final String snapshot;
    private final Filters filters;
    private final ChunkCopier.Tee tee;
    private final MoveListener listener;

    ParallelCopy(MoveSettings settings, String snapshot, Filters filters, ChunkCopier.Tee tee, MoveListener listener) {
        this.settings = settings;
        this.snapshot = snapshot;
        this.filters = filters;
        this.tee = tee;
        this.listener = listener;
    }

    Totals run(List<Chunk> chunks, long estimatedBytes) {
        ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>(chunks);
        AtomicLong rows = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        AtomicBoolean failed = new AtomicBoolean();
        Map<String, long[]> perTable = new ConcurrentHashMap<>();
        Map<String, Integer> chunksLeft = new ConcurrentHashMap<>();
        chunks.forEach(c -> chunksLeft.merge(c.table().label(), 1, Integer::sum));
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), Threads.daemon("uplift-move-worker"));
        Thread reporter = progressReporter(bytes, estimatedBytes);
        try {
            List<Future<?>> workers = new java.util.ArrayList<>();
            for (int i = 0; i < settings.threads(); i++) {
                workers.add(pool.submit(() -> {
                    work(queue, failed, rows, bytes, perTable, chunksLeft, start);
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failed.set(true);
                    Throwable cause = e.getCause();
                    if (cause instanceof UpliftException u) {
                        throw u;
                    }
                    throw new UpliftException(ErrorCode.DATABASE_MOVE, "Copying rows failed: " + cause.getMessage()
                            + ". Every chunk finished before is kept; run the same command with --resume.", cause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed.set(true);
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "The move was interrupted; run it again with --resume.", e);
        } finally {
            reporter.interrupt();
            pool.shutdownNow();
            awaitQuietly(pool);
        }
        listener.bytes().progress(Math.max(bytes.get(), estimatedBytes), Math.max(bytes.get(), estimatedBytes));
        return new Totals(rows.get(), bytes.get());
    }

    private void work(ConcurrentLinkedQueue<Chunk> queue, AtomicBoolean failed, AtomicLong rows, AtomicLong bytes,
            Map<String, long[]> perTable, Map<String, Integer> chunksLeft, long start) throws Exception {
        if (queue.isEmpty()) {
            return;
        }
        try (Connection source = MoveConnections.inSnapshot(settings.source(), snapshot);
             Connection target = MoveConnections.open(settings.target())) {
            target.setAutoCommit(false);
            Chunk chunk;
            while (!failed.get() && (chunk = queue.poll()) != null) {
                try {
                    ChunkCopier.Copied c = ChunkCopier.copy(chunk, filters.predicate(chunk.table()), source, target, tee, bytes::addAndGet,
                            settings.validate());
                    rows.addAndGet(c.rows());
                    long[] t = perTable.computeIfAbsent(chunk.table().label(), k -> new long[2]);
                    synchronized (t) {
                        t[0] += c.rows();
                        t[1] += c.bytes();
                    }
                    if (chunksLeft.merge(chunk.table().label(), -1, Integer::sum) == 0) {
                        listener.tableCopied(chunk.table().label(), t[0], t[1], Duration.ofNanos(System.nanoTime() - start));
                    }
                } catch (Exception e) {
                    failed.set(true);
                    throw new UpliftException(ErrorCode.DATABASE_MOVE, "Copying " + chunk.id() + " failed: " + e.getMessage()
                            + ". Every chunk finished before is kept; fix the cause and run the same command with --resume.", e);
                }
            }
        }
    }

    private Thread progressReporter(AtomicLong bytes, long estimated) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    long done = bytes.get();
                    listener.bytes().progress(Math.min(done, Math.max(estimated, done) - 1), Math.max(estimated, done));
                    Thread.sleep(500);
                }
            } catch (InterruptedException e) {
                // the copy is over
            }
        }, "uplift-move-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
