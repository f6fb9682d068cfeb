package io.uplift.dbmove;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;

/**
 * Post-data: the tables' own indexes and constraints were built as each table's rows were in
 * (EarlyIndexes, awaited here); the rest (triggers, ...) with pg_restore --jobs, then the foreign
 * keys checked side by side (ForeignKeys), then the indexes --drop-source-indexes dropped.
 */
final class PostDataPhase implements MovePhase {
    static final String NAME = "post-data";

    private final RowsPhase rows;

    PostDataPhase(RowsPhase rows) {
        this.rows = rows;
    }

    @Override
    public boolean done(MoveRun m) throws SQLException {
        return MoveProgress.phaseDone(m.target(), NAME);
    }

    @Override
    public void run(MoveRun m) throws SQLException, IOException {
        RowsPhase.Copied copied = rows.copied();
        int threads = m.settings().threads();
        m.listener().phase("schema: post-data (indexes, constraints, triggers; " + threads + " jobs)");
        Path list = m.work().resolve("post-data.list");
        copied.early().ifPresent(EarlyIndexes::finish); // the tables' own indexes, built as each table's rows were in
        // Foreign keys are taken out of the whole list, so that one added NOT VALID by a killed run is validated now.
        ForeignKeys.Split keys = ForeignKeys.split(copied.postList(), copied.foreignKeys());
        Files.writeString(list, PostDataList.stillToRestore(keys.rest(), m.target()));
        m.sections().restore(m.settings().target(), copied.postDump(), list, threads);
        ForeignKeys.build(m.settings().target(), keys.keys(), threads);
        SourceIndexes.createOnTarget(m.target(), m.recreate());
        MoveProgress.markPhase(m.target(), NAME);
    }
}
