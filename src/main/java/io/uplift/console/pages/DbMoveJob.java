package io.uplift.console.pages;

import io.uplift.Uplift;
import io.uplift.api.ErrorCode;
import io.uplift.api.MoveListener;
import io.uplift.api.MoveReport;
import io.uplift.api.MoveRequest;
import io.uplift.api.MoveResult;
import io.uplift.api.MoveValidation;
import io.uplift.api.ProgressListener;
import io.uplift.api.SourceDescription;
import io.uplift.api.UpliftException;
import io.uplift.console.Job;
import io.uplift.console.RunListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * 'uplift db move' as a console job: the same facade calls in the same order as the command line
 * (move, then the validation's verdict, then deleting the source only after a passed validation), its
 * lines told to the run's listener, which the upgrade page shows live.
 */
final class DbMoveJob implements Job {
    private static final int LISTED_DIFFERENCES = 50;

    private final MoveRequest request;

    DbMoveJob(MoveRequest request) {
        this.request = request;
    }

    @Override
    public String run(Uplift uplift, RunListener lines) {
        if (request.validateOnly()) {
            MoveValidation v = Uplift.validateMove(request);
            verdict(v.differences(), MoveResult.PASSED, lines);
            return request.deleteSource() ? deleteSource(lines) : "Validation passed: source and target are equal.";
        }
        MoveReport report = Uplift.moveDatabase(request, new Reporting(lines));
        MoveResult r = report.moved();
        String moved = String.format("Moved %,d rows (%,d MB) of %d tables in %d chunks (%d already done), %d sequences, %d large objects,"
                + " in %.1f s.", r.rows(), r.bytes() / (1024 * 1024), r.tables(), r.chunks(), r.chunksSkipped(), r.sequences(),
                r.largeObjects(), r.took().toMillis() / 1000.0);
        lines.line(moved);
        report.exportFolder().ifPresent(dir -> lines.line("Export written: " + dir + " (load it with 'uplift db import " + dir
                + " --target URL')."));
        request.indexesToDrop().ifPresent(drop -> lines.line("The DDL of the dropped source indexes is in " + drop.file()
                + " (psql -f it on the source to create them again)."));
        if (!r.validated()) {
            return moved + " Not validated (validation was skipped): run the move again with only 'Compare an earlier move' to compare"
                    + " source and target.";
        }
        verdict(r.differences(), r.passed(), lines);
        return request.deleteSource() ? moved + " " + deleteSource(lines) : moved + " " + r.passed();
    }

    /** Nothing when validation passed; else each difference as a line, and the move ends failed (exit 24 on the command line). */
    private static void verdict(List<String> differences, String passed, RunListener lines) {
        if (differences.isEmpty()) {
            lines.line(passed);
            return;
        }
        lines.line("Validation found " + differences.size() + " differences:");
        differences.stream().limit(LISTED_DIFFERENCES).forEach(d -> lines.line("  " + d));
        throw new UpliftException(ErrorCode.VALIDATION_FAILED, "The target differs from the source (" + differences.size()
                + " differences, listed above). Do not switch to the target; if the source changed during the move, move again into an"
                + " empty database. The source was kept.");
    }

    /** Only reached after a passed validation; the operator confirmed it twice in the form. */
    private String deleteSource(RunListener lines) {
        SourceDescription what = Uplift.describeMoveSource(request.source());
        lines.line("Delete the source: validation passed; deleting the " + what + ".");
        Uplift.deleteMoveSource(request.source());
        return "Validation passed, and the source was deleted: " + what + " (DROP DATABASE \"" + what.database() + "\").";
    }

    /** The run's listener, plus the line the command line prints when a new server started: where it is and on which port. */
    private record Reporting(RunListener lines) implements MoveListener {
        @Override
        public void phase(String text) {
            lines.phase(text);
        }

        @Override
        public void serverStarted(int major, Path dataDir, int port, String target) {
            lines.line("Started PostgreSQL " + major + " in " + dataDir + " on 127.0.0.1:" + port + "; the target is " + target);
        }

        @Override
        public void tableCopied(String table, long rows, long bytes, Duration took) {
            lines.tableCopied(table, rows, bytes, took);
        }

        @Override
        public ProgressListener bytes() {
            return lines.bytes();
        }
    }
}
