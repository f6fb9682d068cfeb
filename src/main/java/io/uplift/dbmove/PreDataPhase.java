package io.uplift.dbmove;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;

/** Schema pre-data (tables, types, functions) through pg_dump and psql, in one transaction with its done-mark. */
final class PreDataPhase implements MovePhase {
    static final String NAME = "pre-data";

    @Override
    public boolean done(MoveRun m) throws SQLException {
        return MoveProgress.phaseDone(m.target(), NAME);
    }

    @Override
    public void run(MoveRun m) throws IOException {
        m.listener().phase("schema: pre-data (pg_dump " + m.tools().version() + ")");
        Path pre = m.work().resolve("pre-data.sql");
        m.sections().dumpPreData(m.settings().source(), m.snapshot(), pre);
        m.export().preData(pre);
        // The done-mark goes into the same psql transaction: the schema is there exactly when it says so.
        Files.writeString(pre, "\nINSERT INTO " + MoveProgress.SCHEMA + ".phase (name) VALUES ('" + NAME + "');\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        m.sections().applyPlain(m.settings().target(), pre);
    }
}
