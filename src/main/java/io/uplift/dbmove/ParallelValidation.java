package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Computes every chunk's figures on both sides, with the move's number of threads. */
final class ParallelValidation {
    private final MoveSettings settings;
    private final Filters filters;

    ParallelValidation(MoveSettings settings, Filters filters) {
        this.settings = settings;
        this.filters = filters;
    }

    List<String> run(List<Chunk> chunks) {
        ConcurrentLinkedQueue<Chunk> queue = new ConcurrentLinkedQueue<>(comparable(chunks));
        List<String> differences = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads());
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < settings.threads(); i++) {
                workers.add(pool.submit(() -> {
                    try (Connection source = MoveConnections.openReadOnly(settings.source()); Connection target = MoveConnections.open(settings.target())) {
                        Chunk chunk;
                        while ((chunk = queue.poll()) != null) {
                            Validator.Figures s = Validator.figures(source, chunk, filters.predicate(chunk.table()));
                            Validator.Figures t = Validator.figures(target, chunk, "");
                            if (!s.equals(t)) {
                                differences.add(new Validator.Difference(chunk.id(), s, t).toString());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "Validation could not run: " + cause.getMessage(), cause);
        } finally {
            pool.shutdownNow();
        }
        List<String> sorted = new ArrayList<>(differences);
        Collections.sort(sorted);
        return sorted;
    }

    /**
     * The chunks as both servers can count them: a table cut into block (ctid) ranges becomes one
     * whole-table chunk, because its rows sit in other blocks on the target.
     */
    static List<Chunk> comparable(List<Chunk> chunks) {
        List<Chunk> units = new ArrayList<>();
        java.util.Set<TableInfo> wholeTables = new java.util.HashSet<>();
        for (Chunk c : chunks) {
            if (!c.physical()) {
                units.add(c);
            } else if (wholeTables.add(c.table())) {
                units.add(new Chunk(c.table(), 1, 1, ""));
            }
        }
        return units;
    }
}
