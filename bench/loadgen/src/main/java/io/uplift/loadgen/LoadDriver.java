package io.uplift.loadgen;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The open-loop schedule: one timer thread fires {@code rate} slots a second and hands each to a
 * fixed pool of workers. A slow answer never delays the next slot; a slot that finds every worker
 * busy is recorded as skipped instead of waiting, so the schedule stays the schedule. Busy is counted
 * here ({@code inFlight}) rather than left to a queue-less pool, which would also refuse a slot while
 * an idle worker is between two tasks.
 */
public final class LoadDriver {
    private final Function<Operation, Outcome> perform;
    private final OperationMix mix;
    private final AvailabilityLog log;
    private final Clock clock;
    private final int rate;
    private final ThreadPoolExecutor workers;
    private final ScheduledExecutorService timer;
    private final int workerCount;
    private final AtomicInteger inFlight = new AtomicInteger();

    public LoadDriver(Function<Operation, Outcome> perform, OperationMix mix, AvailabilityLog log, Clock clock,
                      int rate, int workerCount) {
        this.perform = perform;
        this.mix = mix;
        this.log = log;
        this.clock = clock;
        this.rate = rate;
        this.workerCount = workerCount;
        this.workers = new ThreadPoolExecutor(workerCount, workerCount, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), daemon("loadgen-worker"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("loadgen-schedule"));
    }

    public void start() {
        workers.prestartAllCoreThreads();
        timer.scheduleAtFixedRate(this::slot, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
    }

    /** Stops the schedule and waits (bounded) for the requests in flight, so their outcomes count. */
    public void stop(long waitMillis) throws InterruptedException {
        timer.shutdownNow();
        workers.shutdown();
        if (!workers.awaitTermination(waitMillis, TimeUnit.MILLISECONDS)) {
            workers.shutdownNow();
        }
    }

    private void slot() {
        if (workers.isShutdown()) {
            return; // a last slot racing stop(): not a skip, the run is over
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Operation operation = mix.pick(random.nextDouble(), random.nextDouble());
        if (inFlight.incrementAndGet() > workerCount) {
            inFlight.decrementAndGet();
            long now = clock.millis();
            log.record(Outcome.of(operation, now, now, Cause.SKIPPED_BUSY));
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    log.record(perform.apply(operation));
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException stopping) {
            inFlight.decrementAndGet(); // stop() shut the pool between the check above and here
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
