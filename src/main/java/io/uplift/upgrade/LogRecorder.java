package io.uplift.upgrade;

import io.uplift.api.ProgressListener;
import io.uplift.api.Step;
import io.uplift.api.UpgradeListener;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpliftException;
import io.uplift.journal.UpgradeLogFile;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Passes every event on to the listener it wraps, and writes it to the upgrade log
 * ({@link UpgradeLogFile}): how a run started and ended, each step started, done or skipped, every
 * message, and the progress of a long step in tenths (a line per 10%, never one per count: the log
 * is read by people and re-read by the console from its cursor). Used only while the run holds the
 * home lock, so there is one writer. Messages hold no secret, and this adds none.
 */
final class LogRecorder implements UpgradeListener {
    private static final int TENTHS = 10;

    private final UpgradeListener delegate;
    private final UpgradeLogFile log;
    private String runningStep = "";
    private int loggedTenths = -1;
    private long lastDone;

    LogRecorder(UpgradeListener delegate, UpgradeLogFile log) {
        this.delegate = delegate;
        this.log = log;
    }

    /**
     * Logs {@code started}, runs {@code run} and logs how it ended: its outcome when it returns, the
     * error when it throws (rethrown unchanged). A process killed meanwhile leaves no end line; the
     * journal says where it stopped.
     */
    UpgradeResult run(String started, Supplier<UpgradeResult> run) {
        write(started);
        try {
            UpgradeResult result = run.get();
            write("ended: " + result.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + result.message());
            return result;
        } catch (UpliftException e) {
            write("stopped (exit " + e.code().exitCode() + "): " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            write("stopped by an unexpected failure: " + e);
            throw e;
        }
    }

    @Override
    public synchronized void stepStarted(Step step, boolean undo) {
        runningStep = step.id();
        restartProgress();
        write(undo ? "undo of step " + step.id() + " started" : "step " + step.id() + " started: " + step.title());
        delegate.stepStarted(step, undo);
    }

    @Override
    public synchronized void stepFinished(Step step, Duration took, boolean undo) {
        runningStep = "";
        write((undo ? "undo of step " : "step ") + step.id() + " done in " + seconds(took));
        delegate.stepFinished(step, took, undo);
    }

    @Override
    public synchronized void stepSkipped(Step step) {
        write("step " + step.id() + " skipped: an earlier run did it");
        delegate.stepSkipped(step);
    }

    @Override
    public synchronized void message(String text) {
        restartProgress(); // a message opens a new phase of the step, whose counts start anew
        write(runningStep.isEmpty() ? text : runningStep + ": " + text);
        delegate.message(text);
    }

    @Override
    public ProgressListener progress(Step step) {
        ProgressListener inner = delegate.progress(step);
        return (done, total) -> {
            progressed(step, done, total);
            inner.progress(done, total);
        };
    }

    // Called from the step's worker threads too, hence synchronized with the events above.
    private synchronized void progressed(Step step, long done, long total) {
        if (done < lastDone) {
            restartProgress(); // the counts went back: a new phase (the data copy after the dump, say)
        }
        lastDone = done;
        if (total <= 0) {
            return;
        }
        int tenths = (int) Math.min(TENTHS, Math.max(0, done) * TENTHS / total);
        if (tenths > loggedTenths) {
            loggedTenths = tenths;
            write(step.id() + ": " + tenths * TENTHS + "% (" + done + " of " + total + " " + step.kind().progressUnit() + ")");
        }
    }

    private void restartProgress() {
        loggedTenths = -1;
        lastDone = 0;
    }

    private synchronized void write(String text) {
        try {
            log.append(text);
        } catch (IOException | RuntimeException e) {
            // A report only, like progress.json: the upgrade goes on without its log line; the journal is the record.
        }
    }

    private static String seconds(Duration took) {
        return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    }
}
