package io.uplift.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    private static final WorkerPool.Failure FAILURE = cause -> new UpliftException(ErrorCode.DATABASE_MOVE, "failed: " + cause.getMessage(), cause);

    @Test
    void runAllReturnsResultsInOrderFromNamedBoundedThreads() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int n = i;
            tasks.add(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                names.add(Thread.currentThread().getName());
                running.decrementAndGet();
                return n * n;
            });
        }
        try (WorkerPool pool = WorkerPool.start("test-pool", 3)) {
            assertEquals(IntStream.range(0, 20).map(n -> n * n).boxed().toList(), pool.runAll(tasks, FAILURE));
        }
        assertTrue(mostAtOnce.get() <= 3, "at most 3 tasks at once, saw " + mostAtOnce.get());
        assertTrue(names.stream().allMatch(n -> n.matches("test-pool-[123]")), names.toString());
    }

    @Test
    void theFirstFailureInterruptsTheOthersAndIsRethrownAsItIs() throws Exception {
        CountDownLatch blockerStarted = new CountDownLatch(1);
        AtomicBoolean blockerInterrupted = new AtomicBoolean();
        UpliftException boom = new UpliftException(ErrorCode.DATABASE_MOVE, "chunk 7 failed");
        Callable<Object> blocker = () -> {
            blockerStarted.countDown();
            try {
                new CountDownLatch(1).await(); // waits until interrupted
            } catch (InterruptedException e) {
                blockerInterrupted.set(true);
            }
            return null;
        };
        Callable<Object> failing = () -> {
            blockerStarted.await(10, TimeUnit.SECONDS);
            throw boom;
        };
        WorkerPool pool = WorkerPool.start("test-fail", 2);
        try (pool) {
            UpliftException thrown = assertThrows(UpliftException.class, () -> pool.runAll(List.of(blocker, failing), FAILURE));
            assertSame(boom, thrown);
            assertTrue(pool.stopping());
        }
        assertTrue(blockerInterrupted.get(), "the other task was interrupted");
    }

    @Test
    void aCheckedFailureIsReportedThroughTheCallersTranslationWithItsCause() {
        IOException cause = new IOException("disk full");
        try (WorkerPool pool = WorkerPool.start("test-checked", 1)) {
            UpliftException thrown = assertThrows(UpliftException.class, () -> pool.runAll(List.<Callable<Object>>of(() -> {
                throw cause;
            }), FAILURE));
            assertEquals("failed: disk full", thrown.getMessage());
            assertSame(cause, thrown.getCause());
        }
    }

    @Test
    void runAllAsThrownThrowsTheFirstCheckedFailureAsTheTaskThrewIt() {
        SQLException cause = new SQLException("deadlock detected", "40P01");
        try (WorkerPool pool = WorkerPool.start("test-as-thrown", 2)) {
            SQLException thrown = assertThrows(SQLException.class, () -> pool.runAllAsThrown(List.<Callable<Object>>of(() -> {
                throw cause;
            }, () -> 1)));
            assertSame(cause, thrown);
        }
    }

    @Test
    void runAllAsThrownGivesTheCallersInterruptAsInterruptedException() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        List<Throwable> thrown = new ArrayList<>();
        WorkerPool pool = WorkerPool.start("test-as-thrown-interrupt", 1);
        Thread caller = new Thread(() -> {
            try {
                pool.runAllAsThrown(List.<Callable<Object>>of(() -> {
                    started.countDown();
                    new CountDownLatch(1).await();
                    return null;
                }));
            } catch (Exception e) {
                thrown.add(e);
            }
        });
        caller.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        caller.interrupt();
        caller.join(10_000);
        pool.close();
        assertEquals(1, thrown.size());
        assertTrue(thrown.get(0) instanceof InterruptedException, thrown.toString());
    }

    @Test
    void tasksQueuedBehindAFailureNeverStart() {
        AtomicInteger started = new AtomicInteger();
        List<Callable<Object>> tasks = new ArrayList<>();
        tasks.add(() -> {
            throw new IllegalStateException("first");
        });
        for (int i = 0; i < 50; i++) {
            tasks.add(() -> started.incrementAndGet());
        }
        try (WorkerPool pool = WorkerPool.start("test-queued", 1)) {
            assertThrows(IllegalStateException.class, () -> pool.runAll(tasks, FAILURE));
        }
        assertEquals(0, started.get());
    }

    @Test
    void drainFeedsEveryItemOnceToOneWorkerPerThreadAndClosesEach() {
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        List<Integer> items = IntStream.range(0, 100).boxed().toList();
        List<Integer> odd;
        try (WorkerPool pool = WorkerPool.start("test-drain", 4)) {
            odd = pool.drain(items, () -> {
                opened.incrementAndGet();
                return new WorkerPool.Worker<Integer, Integer>() {
                    @Override
                    public Integer accept(Integer item) {
                        return item % 2 == 1 ? item : null;
                    }

                    @Override
                    public void close() {
                        closed.incrementAndGet();
                    }
                };
            }, FAILURE);
        }
        assertEquals(IntStream.range(0, 100).filter(i -> i % 2 == 1).boxed().toList(), odd.stream().sorted().toList());
        assertEquals(4, opened.get());
        assertEquals(4, closed.get());
    }

    @Test
    void theWaitingCallersInterruptStopsTheWorkAndKeepsTheFlag() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean taskInterrupted = new AtomicBoolean();
        AtomicBoolean callerFlag = new AtomicBoolean();
        List<Throwable> thrown = new ArrayList<>();
        WorkerPool pool = WorkerPool.start("test-interrupt", 1);
        Thread caller = new Thread(() -> {
            try {
                pool.runAll(List.<Callable<Object>>of(() -> {
                    started.countDown();
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException e) {
                        taskInterrupted.set(true);
                    }
                    return null;
                }), FAILURE);
            } catch (UpliftException e) {
                thrown.add(e);
                callerFlag.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        caller.interrupt();
        caller.join(10_000);
        pool.close();
        assertFalse(caller.isAlive());
        assertEquals(1, thrown.size());
        assertTrue(thrown.get(0).getCause() instanceof InterruptedException);
        assertTrue(callerFlag.get(), "the caller's interrupt flag is kept");
        assertTrue(taskInterrupted.get(), "the running task was interrupted");
    }

    @Test
    void progressIsReportedFromOneThreadOfItsOwnUntilClose() throws Exception {
        Set<String> reporters = ConcurrentHashMap.newKeySet();
        CountDownLatch threeReports = new CountDownLatch(3);
        WorkerPool pool = WorkerPool.start("test-report", 2);
        pool.reportEvery(Duration.ofMillis(5), () -> {
            reporters.add(Thread.currentThread().getName());
            threeReports.countDown();
            if (threeReports.getCount() == 1) {
                throw new IllegalStateException("a failing listener is skipped, not fatal");
            }
        });
        assertTrue(threeReports.await(10, TimeUnit.SECONDS));
        pool.close();
        assertEquals(Set.of("test-report-progress-1"), reporters);
        assertThrows(IllegalArgumentException.class, () -> WorkerPool.start("none", 0));
    }

    @Test
    void closeReturnsOnlyOnceAReportUnderWayHasEnded() throws Exception {
        CountDownLatch reporting = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        WorkerPool pool = WorkerPool.start("test-last-report", 1);
        pool.reportEvery(Duration.ofMillis(5), () -> {
            if (ended.get()) {
                return;
            }
            reporting.countDown();
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait(); // drawing until close() stops the reporter
            }
            Thread.interrupted();
            try {
                Thread.sleep(200); // a slow terminal finishing its draw (not synchronisation: close() must wait for it)
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            ended.set(true);
        });
        assertTrue(reporting.await(10, TimeUnit.SECONDS));
        pool.close();
        assertTrue(ended.get(), "close() waited for the report under way");
    }
}
