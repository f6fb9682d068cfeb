package io.uplift.cli;

import io.uplift.api.Database;
import io.uplift.api.ErrorCode;
import io.uplift.api.MoveReport;
import io.uplift.api.MoveResult;
import io.uplift.api.SourceIndexesToDrop;
import io.uplift.api.UpliftException;
import java.io.PrintWriter;
import java.util.List;

/** What 'uplift db move' prints: the indexes it would drop, what it moved, and the validation's verdict. */
final class MoveOutput {
    private static final int LISTED_INDEXES = 30;
    private static final int LISTED_DIFFERENCES = 50;

    private MoveOutput() {}

    static void indexesToDrop(SourceIndexesToDrop drop, Database source, PrintWriter out) {
        out.printf("--drop-source-indexes: %d indexes of %s back no constraint, %,d MB in all; their DDL goes to %s.%n",
                drop.indexes().size(), source, drop.bytes() / (1024 * 1024), drop.file());
        drop.indexes().stream().limit(LISTED_INDEXES).forEach(i -> out.printf("  %s.%s  %s  %,d kB%n", i.schema(), i.name(),
                i.unique() ? "unique" : "", i.bytes() / 1024));
        if (drop.indexes().size() > LISTED_INDEXES) {
            out.printf("  ... and %d more (all in the file)%n", drop.indexes().size() - LISTED_INDEXES);
        }
        out.printf("Saves %,d MB on the source's disk. Breaks: queries on the source that use these indexes get slower until the%n"
                + "DDL is run again; %d indexes that back primary keys, unique or exclusion constraints, or that foreign keys%n"
                + "reference, are kept. The target gets every index all the same.%n", drop.bytes() / (1024 * 1024), drop.kept());
    }

    static void moved(MoveReport report, PrintWriter out) {
        MoveResult r = report.moved();
        out.printf("Moved %,d rows (%,d MB) of %d tables in %d chunks (%d already done), %d sequences, %d large objects, in %.1f s.%n",
                r.rows(), r.bytes() / (1024 * 1024), r.tables(), r.chunks(), r.chunksSkipped(), r.sequences(), r.largeObjects(),
                r.took().toMillis() / 1000.0);
        report.exportFolder().ifPresent(dir -> out.println("Export written: " + dir + " (load it with 'uplift db import "
                + dir + " --target URL', or by hand: docs/database-move.md, \"Loading an export by hand\")."));
    }

    /** Exit 0 when validation passed (saying so with {@code passed}); else the differences, then exit 24 (VALIDATION_FAILED). */
    static int validation(List<String> differences, String passed, PrintWriter out) {
        if (differences.isEmpty()) {
            out.println(passed);
            out.flush();
            return 0;
        }
        out.println("Validation found " + differences.size() + " differences:");
        differences.stream().limit(LISTED_DIFFERENCES).forEach(d -> out.println("  " + d));
        out.flush();
        throw new UpliftException(ErrorCode.VALIDATION_FAILED, "The target differs from the source (" + differences.size()
                + " differences, listed above). Do not switch to the target; if the source changed during the move, move again into an empty database.");
    }
}
