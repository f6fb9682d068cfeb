package io.uplift.dbmove;

import io.uplift.api.ValidationDifference;
import io.uplift.api.RowFigures;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.WorkerPool;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Computes every chunk's figures on both sides, with the move's number of threads. */
final class ParallelValidation {
    private final MoveSettings settings;
    private final Filters filters;

    ParallelValidation(MoveSettings settings, Filters filters) {
        this.settings = settings;
        this.filters = filters;
    }

    /** The chunks whose figures differ, sorted; an interrupt stops every worker and fails the validation. */
    List<ValidationDifference> run(List<Chunk> chunks) {
        List<ValidationDifference> differences;
        try (WorkerPool pool = WorkerPool.start("uplift-validate", settings.threads())) {
            differences = pool.drain(comparable(chunks), Compare::new,
                    cause -> new UpliftException(ErrorCode.DATABASE_MOVE, "Validation could not run: " + cause.getMessage(), cause));
        }
        List<ValidationDifference> sorted = new ArrayList<>(differences);
        Collections.sort(sorted);
        return sorted;
    }

    /** One thread's pair of connections, comparing one chunk after another. */
    private final class Compare implements WorkerPool.Worker<Chunk, ValidationDifference> {
        private final Connection source;
        private final Connection target;

        Compare() throws java.sql.SQLException {
            source = MoveConnections.openReadOnly(settings.source());
            try {
                target = MoveConnections.open(settings.target());
            } catch (java.sql.SQLException | RuntimeException e) {
                source.close();
                throw e;
            }
        }

        @Override
        public ValidationDifference accept(Chunk chunk) throws java.sql.SQLException {
            RowFigures s = Validator.figures(source, chunk, filters.predicate(chunk.table()));
            RowFigures t = Validator.figures(target, chunk, "");
            return s.equals(t) ? null : new ValidationDifference.Rows(chunk.id(), s, t);
        }

        @Override
        public void close() throws java.sql.SQLException {
            try (source; target) {
                // both closed, the target first
            }
        }
    }

    /**
     * The chunks as both servers can count them: a table cut into block (ctid) ranges becomes one
     * whole-table chunk, because its rows sit in other blocks on the target.
     */
    static List<Chunk> comparable(List<Chunk> chunks) {
        List<Chunk> units = new ArrayList<>();
        Set<TableInfo> wholeTables = new HashSet<>();
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
