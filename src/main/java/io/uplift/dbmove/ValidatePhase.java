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
        List<String> beingCounted = copied.checks().counted().stream().map(TableInfo::label).sorted().toList();
        int readBack = copied.readWhole().size() - beingCounted.size();
        List<String> against = new java.util.ArrayList<>();
        if (readBack > 0) {
            against.add(readBack + (readBack == 1 ? " table" : " tables") + " read back whole");
        }
        if (!beingCounted.isEmpty()) {
            against.add(String.join(", ", beingCounted) + " counted on the new server (rows, their transactions and jsonb hashes:"
                    + " the load could change nothing else)");
        }
        m.listener().phase("validation: the row counts and checksums of " + chunks + " chunks taken as they were copied"
                + (against.isEmpty() ? "" : ", against " + String.join(" and ", against)) + ", the schema");
        Map<String, ChunkCopier.Figures> recorded = MoveProgress.exists(m.target()) ? MoveProgress.checkedChunks(m.target()) : Map.of();
        differences = new MoveValidation(m.settings(), m.filters(), m.listener())
                .compare(copied.chunks(), m.coordinator(), m.target(), m.recreate(), recorded, copied.checks()::figure);
        if (differences.isEmpty()) {
            MoveProgress.drop(m.target());
        }
    }
}
