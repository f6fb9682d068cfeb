package io.uplift.keys;

import io.uplift.db.WorkerPool;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * The work on one id range, run beside the others on a {@link WorkerPool}; {@link #runAll} stops
 * the others at the first failure (each checks {@code stopping} between batches) and rethrows that
 * failure.
 */
@FunctionalInterface
interface RangeWorker<T> {
    T call(BooleanSupplier stopping) throws SQLException, UndecryptableValueException;

    static <T> List<T> runAll(List<RangeWorker<T>> workers, String threadName) throws SQLException, UndecryptableValueException {
        if (workers.isEmpty()) {
            return List.of();
        }
        try (WorkerPool pool = WorkerPool.start(threadName, workers.size())) {
            List<Callable<T>> tasks = new ArrayList<>();
            for (RangeWorker<T> w : workers) {
                tasks.add(() -> w.call(pool::stopping));
            }
            return pool.runAllAsThrown(tasks);
        } catch (SQLException | UndecryptableValueException | RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the workers", e);
        } catch (Exception e) {
            throw new IllegalStateException("a range worker failed: " + e.getMessage(), e); // none throws another checked exception
        }
    }
}
