package io.uplift.dbmove;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * One phase of a database move, in the shape of an upgrade step: a phase an earlier, killed run
 * finished says so in {@link #done} (from its record in the target) and is skipped; any other runs,
 * and must finish whatever an earlier, interrupted run of it left half done.
 */
interface MovePhase {
    /** True when the target records this phase as finished by an earlier run of the same move. */
    default boolean done(MoveRun move) throws SQLException {
        return false;
    }

    void run(MoveRun move) throws SQLException, IOException;

    /** Runs each phase that is not done, in order; the first failure stops the move. */
    static void runAll(List<? extends MovePhase> phases, MoveRun move) throws SQLException, IOException {
        for (MovePhase phase : phases) {
            if (!phase.done(move)) {
                phase.run(move);
            }
        }
    }
}
