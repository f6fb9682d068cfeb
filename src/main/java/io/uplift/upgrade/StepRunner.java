package io.uplift.upgrade;

import io.uplift.api.UpgradeListener;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeResult.Outcome;
import io.uplift.api.UpgradeResult.StepTime;
import io.uplift.api.UpliftException;
import io.uplift.backup.Backups;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.catalog.Version;
import io.uplift.install.Installation;
import io.uplift.journal.Journal;
import io.uplift.journal.JournalStep;
import io.uplift.journal.RunState;
import io.uplift.journal.StepStatus;
import io.uplift.plan.Hop;
import io.uplift.api.Step;
import io.uplift.api.StepKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs the journal's steps forward (apply, verify) or backward (undo), writing the journal before and
 * after each step, under locks {@link UpgradeEngine} has already taken. A pause request is honoured
 * between steps only, so nothing is ever half done.
 */
final class StepRunner {
    private final Path home;
    private final Catalog catalog;
    private final Supplier<Backups> backups;
    private final AtomicBoolean pauseRequested;
    private final Optional<String> holdAt;
    private final boolean acceptKeysetMismatch;
    private final NextCommand command;
    private final UpgradeResults results;

    /** For the parameters see {@link UpgradeEngine}'s constructor. */
    StepRunner(Path home, Catalog catalog, Supplier<Backups> backups, AtomicBoolean pauseRequested, Optional<String> holdAt,
            boolean acceptKeysetMismatch, NextCommand command, UpgradeResults results) {
        this.home = home;
        this.catalog = catalog;
        this.backups = backups;
        this.pauseRequested = pauseRequested;
        this.holdAt = holdAt;
        this.acceptKeysetMismatch = acceptKeysetMismatch;
        this.command = command;
        this.results = results;
    }

    /** Runs every step not yet done; a failed step leaves the journal FAILED for resume or rollback. */
    UpgradeResult forward(Journal journal, UpgradeListener listener, DatabaseLock dbLock) {
        List<StepTime> times = new ArrayList<>();
        for (JournalStep js : journal.get().steps()) {
            Step step = step(js);
            if (js.status() == StepStatus.DONE) {
                listener.stepSkipped(step);
                times.add(new StepTime(js.id(), step.title(), js.millis(), true));
                continue;
            }
            if (pauseRequested.get()) {
                journal.state(RunState.PAUSED, "paused before " + js.id());
                return results.of(Outcome.PAUSED, journal.get().from(), journal.get().target(), times,
                        "Paused before step " + js.id() + ". Nothing is half done. Run '" + command.of("resume")
                                + "' to go on, or '" + command.of("rollback") + "' to undo.");
            }
            followDatabase(journal, dbLock, "before " + js.id());
            hold(js.id(), "before");
            listener.stepStarted(step, false);
            journal.step(js.id(), StepStatus.STARTED, 0, null);
            long start = System.nanoTime();
            StepContext context = context(journal, js, step, listener);
            try {
                UpgradeStep impl = Steps.of(StepKind.valueOf(js.kind()));
                impl.apply(context);
                impl.verify(context);
            } catch (Exception e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                journal.step(js.id(), StepStatus.FAILED, millisSince(start), why);
                journal.state(RunState.FAILED, "step " + js.id() + " failed");
                throw new UpliftException(exitCodeOf(e), "Step " + js.id() + " (" + step.title() + ") failed: " + why
                        + "\nNothing is lost: the journal records every step. Fix the cause and run '" + command.of("resume")
                        + "', or run '" + command.of("rollback") + "' to return to " + journal.get().from() + ".", e);
            }
            long ms = millisSince(start);
            journal.step(js.id(), StepStatus.DONE, ms, null);
            followDatabase(journal, dbLock, "after " + js.id()); // a move just put the database on a new server
            hold(js.id(), "after");
            listener.stepFinished(step, Duration.ofMillis(ms), false);
            times.add(new StepTime(js.id(), step.title(), ms, false));
        }
        journal.state(RunState.DONE, "done");
        journal.archive();
        removeLeftovers();
        return results.of(Outcome.DONE, journal.get().from(), journal.get().target(), times,
                catalog.product().name() + " " + journal.get().target() + " is installed.");
    }

    /** Undoes every step that started, newest first; a failed undo leaves the journal ROLLING_BACK for another try. */
    UpgradeResult backward(Journal journal, UpgradeListener listener, DatabaseLock dbLock) {
        journal.state(RunState.ROLLING_BACK, "rolling back");
        List<JournalStep> reversed = new ArrayList<>(journal.get().steps());
        Collections.reverse(reversed);
        List<StepTime> times = new ArrayList<>();
        for (JournalStep js : reversed) {
            if (js.status() == StepStatus.PENDING || js.status() == StepStatus.UNDONE) {
                continue;
            }
            if (pauseRequested.get()) {
                return results.of(Outcome.PAUSED, journal.get().from(), journal.get().target(), times,
                        "Rollback paused; run '" + command.of("rollback") + "' to finish it.");
            }
            dbLock.follow(Installation.open(home).databaseSettings());
            times.add(undo(journal, js, listener));
        }
        journal.state(RunState.ROLLED_BACK, "rolled back");
        journal.archive();
        removeLeftovers();
        return results.of(Outcome.ROLLED_BACK, journal.get().target(), journal.get().from(), times,
                "Rolled back: " + catalog.product().name() + " " + journal.get().from() + " is installed as before the upgrade.");
    }

    /**
     * Keeps the database lock where the product database is now (see {@link DatabaseLock#follow}).
     * Losing it to another Uplift stops the upgrade here, with the journal as it is.
     */
    private void followDatabase(Journal journal, DatabaseLock dbLock, String where) {
        try {
            dbLock.follow(Installation.open(home).databaseSettings());
        } catch (UpliftException e) {
            journal.state(RunState.FAILED, "database lock lost " + where);
            throw new UpliftException(e.code(), e.getMessage() + "\nThe upgrade stopped " + where + "; the journal records every step."
                    + " Run '" + command.of("resume") + "' once the other process is done, or '" + command.of("rollback") + "'.", e);
        }
    }

    /**
     * The exit code of a failed step: its own when it says more than "a step failed" and the journal
     * still holds the state (a release that does not match its checksum, a move whose validation
     * found differences); UPGRADE_FAILED otherwise.
     */
    static ErrorCode exitCodeOf(Exception e) {
        if (e instanceof UpliftException u && (u.code() == ErrorCode.RELEASE_CORRUPT || u.code() == ErrorCode.VALIDATION_FAILED)) {
            return u.code();
        }
        return ErrorCode.UPGRADE_FAILED;
    }

    private StepTime undo(Journal journal, JournalStep js, UpgradeListener listener) {
        Step step = step(js);
        listener.stepStarted(step, true);
        journal.step(js.id(), StepStatus.UNDOING, 0, null);
        long start = System.nanoTime();
        try {
            Steps.of(StepKind.valueOf(js.kind())).undo(context(journal, js, step, listener));
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "Undoing step " + js.id() + " (" + step.title() + ") failed: " + why
                    + "\nThe journal still records the rollback; fix the cause and run '" + command.of("rollback") + "' again.", e);
        }
        long ms = millisSince(start);
        journal.step(js.id(), StepStatus.UNDONE, ms, null);
        listener.stepFinished(step, Duration.ofMillis(ms), true);
        return new StepTime(js.id(), "undo: " + step.title(), ms, false);
    }

    /**
     * Once an upgrade has ended, the staged and previous program folders serve no step any more
     * (the backup holds the old files); leaving them would only confuse the next upgrade.
     */
    private void removeLeftovers() {
        for (String dir : List.of("staging", "previous", "keys", MoveDatabaseStep.LEFTOVERS)) {
            try {
                FileTrees.delete(home.resolve(".uplift").resolve(dir));
            } catch (IOException e) {
                // Harmless garbage: the next upgrade replaces what it needs.
            }
        }
    }

    private StepContext context(Journal journal, JournalStep js, Step step, UpgradeListener listener) {
        Version from = Version.parse(js.hopFrom());
        Version to = Version.parse(js.hopTo());
        List<Release> covered = List.copyOf(catalog.releases().subMap(from, false, to, true).values());
        return new StepContext(home, catalog, new Hop(from, to, Optional.empty(), List.of()), covered, step, journal, backups, listener,
                acceptKeysetMismatch);
    }

    private static Step step(JournalStep js) {
        StepKind kind = StepKind.valueOf(js.kind());
        return new Step(js.id(), kind, kind.title(), "");
    }

    /** The crash tests' fault knob: "STEP-ID:before" or "STEP-ID:after" stops the process there until it is killed. */
    private void hold(String stepId, String when) {
        if (holdAt.isPresent() && holdAt.get().equals(stepId + ":" + when)) {
            System.err.println("uplift-test-hold " + stepId + ":" + when);
            System.err.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
