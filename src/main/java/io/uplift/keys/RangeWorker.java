package io.uplift.keys;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The work on one id range, run beside the others; {@link #runAll} stops the others at the first
 * failure (each checks the flag between batches) and rethrows that failure.
 */
@FunctionalInterface
interface RangeWorker<T> {
    T call(AtomicBoolean stop) throws SQLException, UndecryptableValueException;

    static <T> List<T> runAll(List<RangeWorker<T>> workers, String threadName) throws SQLException, UndecryptableValueException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers.size(), r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true); // a worker must never keep a stopping JVM alive
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (RangeWorker<T> w : workers) {
                futures.add(pool.submit(() -> {
                    try {
                        return w.call(stop);
                    } catch (Exception | Error e) {
                        stop.set(true);
                        throw e;
                    }
                }));
            }
            List<T> results = new ArrayList<>();
            Throwable first = null;
            for (Future<T> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = e.getCause();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    stop.set(true);
                    throw new IllegalStateException("interrupted while waiting for the workers", e);
                }
            }
            if (first instanceof SQLException s) {
                throw s;
            } else if (first instanceof UndecryptableValueException u) {
                throw u;
            } else if (first instanceof RuntimeException r) {
                throw r;
            } else if (first instanceof Error err) {
                throw err;
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
