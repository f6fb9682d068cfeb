package io.uplift.backup;

import io.uplift.api.ErrorCode;
import io.uplift.api.ProgressListener;
import io.uplift.api.UpliftException;
import io.uplift.db.PgTools;
import io.uplift.db.ToolRun;
import io.uplift.install.DatabaseSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A product database copied on its own, without a home around it: what 'dr refresh --from URL' needs,
 * where the primary is only a database reached over the network. The same dump ({@link DatabaseDump}:
 * one consistent snapshot, the cluster's coordination left out) and the same restore
 * ({@link DatabaseRestore}: the product's objects dropped, then one transaction) as a backup's.
 */
public final class DatabaseCopy {
    private DatabaseCopy() {}

    /** What the dumped server was: its PostgreSQL major and the dump's table data size. */
    public record Dumped(int serverMajor, long tableBytes) {}

    /** {@code pg_dump -Fc} of {@code db} into {@code file}; progress in bytes of table data. */
    public static Dumped dump(PgTools tools, DatabaseSettings db, Path file, ProgressListener progress) {
        DatabaseDump.Server server = DatabaseDump.inspect(db);
        long total = server.totalTableBytes();
        progress.progress(0, total);
        DatabaseDump.dump(tools, db, server, file, done -> progress.progress(Math.min(done, total), total));
        progress.progress(total, total);
        return new Dumped(server.major(), total);
    }

    /** pg_restore --list reads the dump's whole table of contents: a truncated or foreign file fails it. */
    public static void requireReadable(PgTools tools, Path file) {
        ToolRun.Result r = ToolRun.run(List.of(tools.pgRestore().toString(), "--list", file.toString()), Map.of(), line -> { },
                Duration.ofMinutes(10), ErrorCode.BACKUP_FAILED);
        if (r.exitCode() != 0) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "The dump " + file + " does not read back (pg_restore --list: "
                    + r.stderrTail().strip() + "). Check the disk of " + file.getParent() + " and run the command again.");
        }
    }

    /** Makes {@code db}'s content exactly the dump's (see {@link DatabaseRestore}); safe to call again after an interruption. */
    public static void restore(PgTools tools, Path file, DatabaseSettings db) {
        DatabaseRestore.restore(tools, file, db);
    }
}
