package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.DatabaseTarget;
import io.uplift.db.PgTools;
import io.uplift.db.ToolRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema, through the PG tools directory's pg_dump: pre-data (types, tables, functions, views)
 * before the rows, post-data (indexes, constraints, triggers) after them. pg_dump reads the
 * move's exported snapshot, so the schema and the rows are of the same instant. No owners or
 * privileges are carried: objects belong to the user the move connects to the target as.
 */
final class SchemaSections {
    private static final Duration TIMEOUT = Duration.ofHours(12);

    private final PgTools tools;

    SchemaSections(PgTools tools) {
        this.tools = tools;
    }

    /** pg_dump --section=pre-data as plain SQL, to be applied with psql. */
    void dumpPreData(PgUrl source, String snapshot, Path file) {
        dump(source, snapshot, file, "pre-data", "--format=plain");
    }

    /** pg_dump --section=post-data in the custom format, so pg_restore can build indexes in parallel. */
    void dumpPostData(PgUrl source, String snapshot, Path file) {
        dump(source, snapshot, file, "post-data", "--format=custom");
    }

    private void dump(PgUrl source, String snapshot, Path file, String section, String format) {
        DatabaseTarget db = source.tools();
        List<String> command = new ArrayList<>(List.of(tools.pgDump().toString(), "--section=" + section, format, "--no-owner",
                "--no-privileges", "--exclude-schema=" + MoveProgress.SCHEMA, "--file=" + file));
        if (snapshot != null) {
            command.add("--snapshot=" + snapshot);
        }
        command.addAll(db.connectionArgs());
        check(ToolRun.run(command, db.environment(), line -> { }, TIMEOUT, ErrorCode.DATABASE_MOVE), "pg_dump --section=" + section);
    }

    void applyPlain(PgUrl target, Path sqlFile) {
        DatabaseTarget db = target.tools();
        List<String> command = new ArrayList<>(List.of(tools.psql().toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "--single-transaction", "-f", sqlFile.toString()));
        command.addAll(db.connectionArgs());
        check(ToolRun.run(command, db.environment(), line -> { }, TIMEOUT, ErrorCode.DATABASE_MOVE), "psql (schema, pre-data)");
    }

    /** The table of contents of a custom-format dump, as pg_restore -l prints it. */
    String list(Path dump) {
        ToolRun.Result r = ToolRun.run(List.of(tools.pgRestore().toString(), "-l", dump.toString()), java.util.Map.of(), line -> { },
                TIMEOUT, ErrorCode.DATABASE_MOVE);
        check(r, "pg_restore -l");
        return r.stdout();
    }

    /** Restores the entries of {@code listFile} from the dump with {@code jobs} parallel jobs. */
    void restore(PgUrl target, Path dump, Path listFile, int jobs) {
        DatabaseTarget db = target.tools();
        List<String> command = new ArrayList<>(List.of(tools.pgRestore().toString(), "--no-owner", "--no-privileges", "--exit-on-error",
                "--jobs=" + jobs, "--use-list=" + listFile));
        command.addAll(db.connectionArgs());
        command.add(dump.toString());
        check(ToolRun.run(command, db.environment(), line -> { }, TIMEOUT, ErrorCode.DATABASE_MOVE), "pg_restore (schema, post-data)");
    }

    private static void check(ToolRun.Result r, String what) {
        if (r.exitCode() != 0) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, what + " failed with exit code " + r.exitCode() + ": " + r.stderrTail().strip()
                    + ". Fix the cause and run the move again with --resume; what is done stays done.");
        }
    }
}
