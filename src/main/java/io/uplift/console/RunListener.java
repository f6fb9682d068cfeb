package io.uplift.console;

import io.uplift.api.MoveListener;
import io.uplift.api.ProgressListener;
import io.uplift.api.Step;
import io.uplift.api.UpgradeListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the running job reports, kept in memory for the event stream: the current step or phase, its
 * progress (done, total, rate, ETA) and the job's lines, numbered so that a page reconnecting asks
 * for the lines after the last it has. Upgrades also write the home's upgrade log, which is what the
 * upgrade page streams; these lines serve the jobs that have no log of their own (a database move, a
 * backup, a key rotation).
 */
public final class RunListener implements UpgradeListener, MoveListener {
    public record Line(long seq, String at, String text) {}

    public record Progress(String label, long done, long total, long perSecond, Long etaSeconds) {}

    private final List<Line> lines = new ArrayList<>();
    private String label = "";
    private long done;
    private long total;
    private long startedNanos;
    private long startedDone;

    public synchronized void line(String text) {
        lines.add(new Line(lines.size() + 1, Instant.now().toString(), text.replace('\n', ' ').replace('\r', ' ')));
    }

    public synchronized List<Line> linesAfter(long seq) {
        return seq >= lines.size() ? List.of() : List.copyOf(lines.subList((int) Math.max(0, seq), lines.size()));
    }

    public synchronized Progress progress() {
        long elapsed = System.nanoTime() - startedNanos;
        long rate = elapsed > 0 && done > startedDone ? (long) ((done - startedDone) / (elapsed / 1e9)) : 0;
        Long eta = rate > 0 && total > done ? (total - done) / rate : null;
        return new Progress(label, done, total, rate, eta);
    }

    private synchronized void report(String newLabel, long newDone, long newTotal) {
        if (!newLabel.equals(label) || newDone < done) {
            label = newLabel;
            startedNanos = System.nanoTime();
            startedDone = newDone;
        }
        done = newDone;
        total = newTotal;
    }

    /** A progress listener for a job's long part, shown as {@code what} on the Upgrade page. */
    public ProgressListener progress(String what) {
        return counting(what);
    }

    private ProgressListener counting(String what) {
        return (d, t) -> report(what, d, t);
    }

    @Override
    public void stepStarted(Step step, boolean undo) {
        line((undo ? "undoing " : "") + step.title());
        report(step.title(), 0, 0);
    }

    @Override
    public void stepFinished(Step step, Duration took, boolean undo) {
        line((undo ? "undone: " : "done: ") + step.title() + " (" + took.toMillis() + " ms)");
    }

    @Override
    public void stepSkipped(Step step) {
        line("already done: " + step.title());
    }

    @Override
    public ProgressListener progress(Step step) {
        return counting(step.title());
    }

    @Override
    public void message(String text) {
        line(text);
    }

    @Override
    public void phase(String text) {
        line(text);
        report(text, 0, 0);
    }

    @Override
    public void tableCopied(String table, long rows, long bytes, Duration took) {
        line("copied " + table + ": " + rows + " rows in " + took.toMillis() + " ms");
    }

    @Override
    public ProgressListener bytes() {
        return counting("copying rows (bytes)");
    }
}
