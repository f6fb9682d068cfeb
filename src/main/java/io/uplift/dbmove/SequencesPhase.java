package io.uplift.dbmove;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Objects;

/**
 * Sequence values and large objects, still in the snapshot, and the export's share of it; then the
 * snapshot is let go.
 */
final class SequencesPhase implements MovePhase {
    /** How many of each were copied. */
    record Copied(int sequences, long largeObjects) {}

    private final RowsPhase rows;
    private Copied copied;

    SequencesPhase(RowsPhase rows) {
        this.rows = rows;
    }

    Copied copied() {
        return Objects.requireNonNull(copied, "the sequences phase has not run");
    }

    @Override
    public void run(MoveRun m) throws SQLException, IOException {
        m.listener().phase("sequences and large objects");
        int sequences = SequencesAndObjects.copySequences(m.coordinator(), m.target(), m.inventory().sequences());
        long objects = SequencesAndObjects.copyLargeObjects(m.coordinator(), m.target());
        m.export().fromSnapshot(new MoveExport.Snapshot(m.settings(), m.snapshot(), m.coordinator(), m.filters(), rows.copied().chunks(),
                m.inventory().sequences(), m.sections(), m.listener()));
        m.coordinator().commit(); // the snapshot is no longer needed
        copied = new Copied(sequences, objects);
    }
}
