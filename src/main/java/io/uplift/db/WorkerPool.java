package io.uplift.db;

import io.uplift.api.UpliftException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one way Uplift runs work in parallel (copying rows, checking files, re-encrypting ranges):
 * a bounded number of named threads; the first failure stops the rest (each running task is
 * interrupted and {@link #stopping()} turns true for work that checks between batches) and is
 * rethrown to the caller with its cause; an interrupt of the waiting caller does the same; progress
 * comes from one scheduled thread, so a listener that is not thread-safe (a terminal bar) is only
 * ever called from there.
 *
 * <p>One pool serves one piece of work: after a failure it stays stopped. Use it in
 * try-with-resources: {@link #close()} waits for every thread to end, so no worker outlives the
 * command that started it, save one stuck in a statement that ignores the interrupt past 30 seconds
 * (the threads are daemons so that a JVM stopping on a signal is never held up by one).
 */
public final class WorkerPool implements AutoCloseable {
    /** Turns a task's checked failure (or the caller's interrupt) into the error the operator sees. */
    @FunctionalInterface
    public interface Failure {
        UpliftException of(Throwable cause);
    }

    /** One thread's share of {@link #drain}: opened once per thread (say, with its own connections), fed items, closed. */
    public interface Worker<T, R> extends AutoCloseable {
        /** Handles one item; a non-null result is collected. */
        R accept(T item) throws Exception;

        @Override
        default void close() throws Exception {}
    }

    @FunctionalInterface
    public interface Opener<W> {
        W open() throws Exception;
    }

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final int threads;
    private final ExecutorService executor;
    private final List<Future<?>> submitted = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private volatile ScheduledExecutorService reporter;

    private WorkerPool(String name, int threads) {
        this.name = name;
        this.threads = threads;
        this.executor = Executors.newFixedThreadPool(threads, named(name));
    }

    /** A pool of {@code threads} threads named {@code name-1}, {@code name-2}, ... */
    public static WorkerPool start(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a worker pool needs at least one thread, not " + threads);
        }
        return new WorkerPool(name, threads);
    }

    public int threads() {
        return threads;
    }

    /** True once a task failed or the caller was interrupted: long tasks check it between batches and return. */
    public boolean stopping() {
        return firstFailure.get() != null;
    }

    /**
     * Runs every task on the pool and returns their results in the order given. The first failure
     * stops the others; it is rethrown as it is when unchecked, else through {@code failure}.
     */
    public <T> List<T> runAll(List<? extends Callable<T>> tasks, Failure failure) {
        try {
            return runAllAsThrown(tasks);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure.of(e);
        } catch (Exception e) {
            throw failure.of(e);
        }
    }

    /**
     * {@link #runAll} for work whose callers handle its checked failures themselves (a
     * {@code SQLException} their callers wrap with context): the first failure is thrown as the
     * task threw it; the caller's interrupt as the {@link InterruptedException} (flag cleared, as
     * when any blocking call throws it).
     */
    public <T> List<T> runAllAsThrown(List<? extends Callable<T>> tasks) throws Exception {
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> task : tasks) {
            futures.add(submit(task));
        }
        return collect(futures);
    }

    /**
     * Feeds {@code items} from one queue to up to {@link #threads()} workers, each opened by its own
     * thread, until the queue is empty or something failed; returns the non-null results in no
     * particular order.
     */
    public <T, R> List<R> drain(Collection<T> items, Opener<? extends Worker<T, R>> opener, Failure failure) {
        Queue<T> queue = new ConcurrentLinkedQueue<>(items);
        List<R> results = new CopyOnWriteArrayList<>();
        List<Callable<Void>> workers = new ArrayList<>();
        for (int i = 0; i < Math.min(threads, items.size()); i++) {
            workers.add(() -> {
                try (Worker<T, R> worker = opener.open()) {
                    T item;
                    while (!stopping() && (item = queue.poll()) != null) {
                        R result = worker.accept(item);
                        if (result != null) {
                            results.add(result);
                        }
                    }
                }
                return null;
            });
        }
        runAll(workers, failure);
        return new ArrayList<>(results);
    }

    /** Calls {@code report} every {@code period} from one thread of its own until the pool closes; a failing report is skipped. */
    public synchronized void reportEvery(Duration period, Runnable report) {
        if (reporter != null) {
            throw new IllegalStateException("the pool " + name + " already reports its progress");
        }
        reporter = Executors.newSingleThreadScheduledExecutor(named(name + "-progress"));
        reporter.scheduleAtFixedRate(() -> {
            try {
                report.run();
            } catch (RuntimeException e) {
                // Progress is advice: a listener that fails once must not stop the work; the next tick tries again.
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private <T> Future<T> submit(Callable<T> task) {
        Future<T> f = executor.submit(() -> {
            if (stopping()) {
                throw new CancellationException("stopped before it started");
            }
            try {
                return task.call();
            } catch (Exception | Error e) {
                stop(e);
                throw e;
            }
        });
        submitted.add(f);
        return f;
    }

    private <T> List<T> collect(List<Future<T>> futures) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            try {
                results.add(f.get());
            } catch (ExecutionException e) {
                stop(e.getCause());
            } catch (CancellationException e) {
                // stopped by the first failure, which is thrown below
            } catch (InterruptedException e) {
                stop(e);
                throw e;
            }
        }
        Throwable first = firstFailure.get();
        if (first instanceof Exception x) {
            throw x;
        } else if (first instanceof Error err) {
            throw err;
        } else if (first != null) {
            throw new IllegalStateException(first); // a Throwable neither Exception nor Error: none in practice
        }
        return results;
    }

    private void stop(Throwable cause) {
        if (firstFailure.compareAndSet(null, cause)) {
            submitted.forEach(f -> f.cancel(true));
        }
    }

    /** Stops the reporter and any task still running, and waits for every thread to end. */
    @Override
    public void close() {
        ScheduledExecutorService r = reporter;
        if (r != null) {
            r.shutdownNow();
        }
        executor.shutdownNow();
        try {
            // A task blocked in a socket read ignores the interrupt and ends when its statement does;
            // past this bound the command goes on and reports its error rather than hang on it.
            executor.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
            if (r != null) {
                // The caller draws its final figure after close(): a report still drawing must have ended by then.
                r.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
