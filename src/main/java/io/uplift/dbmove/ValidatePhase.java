package io.uplift.dbmove;

import io.uplift.api.ValidationDifference;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Validation, last: the chunks' figures taken as they were copied, the tables read back whole and
 * the schemas compared; a move that validates clean drops its records from the target.
 */
final class ValidatePhase implements MovePhase {
    private final RowsPhase rows;
    private List<ValidationDifference> differences = List.of();

    ValidatePhase(RowsPhase rows) {
        this.rows = rows;
    }

    /** Empty until the phase ran, and after it when nothing differs. */
    List<ValidationDifference> differences() {
        return differences;
    }

    @Override
    public void run(MoveRun m) throws SQLException {
        RowsPhase.Copied copied = rows.copied();
        int chunks = copied.chunks().size();
        int whole = copied.readWhole().size();
        m.listener().phase("validation: the row counts and checksums of " + chunks + " chunks taken as they were copied"
                + (whole == 0 ? "" : ", against " + whole + (whole == 1 ? " table" : " tables") + " read back whole") + ", the schema");
        Map<String, ChunkCopier.Figures> recorded = MoveProgress.exists(m.target()) ? MoveProgress.checkedChunks(m.target()) : Map.of();
        differences = new MoveValidation(m.settings(), m.filters(), m.listener())
                .compare(copied.chunks(), m.coordinator(), m.target(), m.recreate(), recorded, copied.checks()::figure);
        if (differences.isEmpty()) {
            MoveProgress.drop(m.target());
        }
    }
}
