package io.uplift.cli;

import io.uplift.api.ProgressListener;
import io.uplift.api.Step;
import io.uplift.api.UpgradeListener;
import java.io.PrintWriter;
import java.time.Duration;

/** Prints each step as it starts and ends, with its time, and a progress bar for long ones. */
final class TerminalUpgradeListener implements UpgradeListener {
    private final PrintWriter out;
    private final PrintWriter err;

    TerminalUpgradeListener(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void stepStarted(Step step, boolean undo) {
        out.printf("  %-28s %s%s ...%n", step.id(), undo ? "undo: " : "", step.title());
        out.flush();
    }

    @Override
    public void stepFinished(Step step, Duration took, boolean undo) {
        out.printf("  %-28s %s in %.1f s%n", step.id(), undo ? "undone" : "done", took.toMillis() / 1000.0);
        out.flush();
    }

    @Override
    public void stepSkipped(Step step) {
        out.printf("  %-28s already done%n", step.id());
        out.flush();
    }

    @Override
    public ProgressListener progress(Step step) {
        return new TerminalProgress(err, "  " + step.title().split(",")[0], step.kind().progressUnit());
    }

    @Override
    public void message(String text) {
        out.printf("  %-28s %s%n", "", text);
        out.flush();
    }
}
