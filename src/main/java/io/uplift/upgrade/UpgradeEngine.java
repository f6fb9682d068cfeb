package io.uplift.upgrade;

import io.uplift.api.UpgradeListener;
import io.uplift.api.CheckReport;
import io.uplift.api.CheckResult;
import io.uplift.api.CheckStatus;
import io.uplift.api.ErrorCode;
import io.uplift.api.StatusResult;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeResult.Outcome;
import io.uplift.api.UpgradeResult.StepTime;
import io.uplift.api.UpliftException;
import io.uplift.backup.Backups;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.catalog.Version;
import io.uplift.catalog.ReleaseChecksums;
import io.uplift.check.CheckContext;
import io.uplift.check.Preflight;
import io.uplift.install.Installation;
import io.uplift.install.ProductDatabase;
import io.uplift.journal.HomeLock;
import io.uplift.keys.KeysetConsistency;
import io.uplift.keys.KeysetRecord;
import io.uplift.journal.Journal;
import io.uplift.journal.JournalStep;
import io.uplift.journal.RunState;
import io.uplift.journal.StepStatus;
import io.uplift.journal.UpgradeJournal;
import io.uplift.plan.Hop;
import io.uplift.plan.Plan;
import io.uplift.plan.Planner;
import io.uplift.api.Step;
import io.uplift.api.StepKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs an upgrade plan step by step under the journal, and resumes or rolls it back. Takes the
 * home lock and the database lock first; writes the journal before and after every step.
 */
public final class UpgradeEngine {
    private final Path home;
    private final Catalog catalog;
    private final Supplier<Backups> backups;
    private final Path backupDir;
    private final Clock clock;
    private final Optional<String> holdAt;
    private final AtomicBoolean pauseRequested;
    private final boolean acceptKeysetMismatch;

    /**
     * @param backups made on first use: finding the PG client tools is only needed by the steps that back up or restore
     * @param pauseRequested set from any thread (Ctrl-C, SIGTERM) to stop after the current step
     * @param holdAt a fault knob for the crash tests: "STEP-ID:before" or "STEP-ID:after" makes the
     *               process stop there and wait to be killed
     */
    public UpgradeEngine(Path home, Catalog catalog, Supplier<Backups> backups, Path backupDir, Clock clock,
            AtomicBoolean pauseRequested, Optional<String> holdAt) {
        this(home, catalog, backups, backupDir, clock, pauseRequested, holdAt, false);
    }

    /** @param acceptKeysetMismatch let rollback restore a database whose recorded keyset is not this node's (--accept-keyset-mismatch) */
    public UpgradeEngine(Path home, Catalog catalog, Supplier<Backups> backups, Path backupDir, Clock clock,
            AtomicBoolean pauseRequested, Optional<String> holdAt, boolean acceptKeysetMismatch) {
        this.acceptKeysetMismatch = acceptKeysetMismatch;
        this.home = home;
        this.catalog = catalog;
        this.backups = backups;
        this.backupDir = backupDir;
        this.clock = clock;
        this.pauseRequested = pauseRequested;
        this.holdAt = holdAt;
    }

    public UpgradeResult upgrade(String target, UpgradeListener terminal) {
        UpgradeListener listener = recorded(terminal);
        try (HomeLock lock = lock("uplift upgrade --to " + target)) {
            Installation inst = Installation.open(home);
            Journal.open(journalFile(), clock).ifPresent(j -> {
                throw new UpliftException(ErrorCode.LOCKED, "An upgrade to " + j.get().target() + " is already under way or was interrupted ("
                        + j.get().state() + "): finish it with 'uplift resume' or undo it with 'uplift rollback' first.");
            });
            ProductDatabase.Probe probe = new ProductDatabase(inst).probe();
            Version to = parseTarget(target);
            Plan plan = new Planner(catalog).plan(Version.parse(inst.state().version()), to, probe.database().major());
            if (plan.isEmpty()) {
                return result(Outcome.NOTHING_TO_DO, inst.state().version(), target, List.of(),
                        catalog.product().name() + " " + inst.state().version() + " is installed: nothing to do.");
            }
            // Before anything is touched: what the upgrade will run against the database is the vendor's.
            catalog.releases().headMap(to, true).values().forEach(ReleaseChecksums::requireMigrationsIntact);
            try (DatabaseLock dbLock = DatabaseLock.acquire(inst.databaseSettings())) {
                CheckReport report = Preflight.duringUpgrade().run(new CheckContext(inst, catalog, plan, probe.database(), backupDir,
                        Runtime.version().feature(), System.getProperty("os.name"), System.getProperty("user.name")));
                refuseFailedChecks(report);
                Journal journal = Journal.create(journalFile(), clock, newJournal(inst, plan));
                return run(journal, listener, dbLock);
            }
        }
    }

    public UpgradeResult resume(UpgradeListener terminal) {
        UpgradeListener listener = recorded(terminal);
        try (HomeLock lock = lock("uplift resume")) {
            Optional<Journal> found = Journal.open(journalFile(), clock);
            if (found.isEmpty()) {
                return result(Outcome.NOTHING_IN_PROGRESS, "", "", List.of(), "No upgrade is in progress in " + home + ": nothing to resume.");
            }
            Journal journal = found.get();
            if (journal.get().state() == RunState.ROLLING_BACK) {
                throw new UpliftException(ErrorCode.UPGRADE_FAILED, "A rollback of the upgrade to " + journal.get().target()
                        + " was interrupted; it cannot be resumed forward. Run 'uplift rollback' to finish it.");
            }
            refuseEditedCatalog(journal);
            Installation inst = Installation.open(home);
            new ProductDatabase(inst).ensureRunning();
            try (DatabaseLock dbLock = DatabaseLock.acquire(inst.databaseSettings())) {
                refuseForeignKeyset(inst);
                journal.state(RunState.RUNNING, "resumed");
                return run(journal, listener, dbLock);
            }
        }
    }

    public UpgradeResult rollback(UpgradeListener terminal) {
        return rollback(terminal, false);
    }

    /** @param discardWritesAfterMaintenance the operator accepts losing what the product wrote after maintenance ended */
    public UpgradeResult rollback(UpgradeListener terminal, boolean discardWritesAfterMaintenance) {
        UpgradeListener listener = recorded(terminal);
        try (HomeLock lock = lock("uplift rollback")) {
            Optional<Journal> found = Journal.open(journalFile(), clock);
            if (found.isEmpty()) {
                return result(Outcome.NOTHING_IN_PROGRESS, "", "", List.of(), "No upgrade is in progress in " + home + ": nothing to roll back.");
            }
            Journal journal = found.get();
            Installation inst = Installation.open(home);
            new ProductDatabase(inst).ensureRunning();
            try (DatabaseLock dbLock = DatabaseLock.acquire(inst.databaseSettings())) {
                MaintenanceEnded.refuseRollback(journal, inst.databaseSettings(), command("resume"), command("rollback"),
                        discardWritesAfterMaintenance, listener);
                journal.state(RunState.ROLLING_BACK, "rolling back");
                List<JournalStep> reversed = new ArrayList<>(journal.get().steps());
                Collections.reverse(reversed);
                List<StepTime> times = new ArrayList<>();
                for (JournalStep js : reversed) {
                    if (js.status() == StepStatus.PENDING || js.status() == StepStatus.UNDONE) {
                        continue;
                    }
                    if (pauseRequested.get()) {
                        return result(Outcome.PAUSED, journal.get().from(), journal.get().target(), times,
                                "Rollback paused; run '" + command("rollback") + "' to finish it.");
                    }
                    dbLock.follow(Installation.open(home).databaseSettings());
                    times.add(undo(journal, js, listener));
                }
                journal.state(RunState.ROLLED_BACK, "rolled back");
                journal.archive();
                removeLeftovers();
                return result(Outcome.ROLLED_BACK, journal.get().target(), journal.get().from(), times,
                        "Rolled back: " + catalog.product().name() + " " + journal.get().from() + " is installed as before the upgrade.");
            }
        }
    }

    /** The last progress report of the step that runs, or ran when the upgrade was interrupted. */
    public static Optional<io.uplift.api.StatusResult.Progress> progress(Path home) {
        return ProgressRecorder.read(home.resolve(".uplift"));
    }

    /** The listener, plus the progress report that 'uplift status' reads (.uplift/progress.json). */
    private UpgradeListener recorded(UpgradeListener terminal) {
        return new ProgressRecorder(terminal, home.resolve(".uplift"), clock);
    }

    private UpgradeResult run(Journal journal, UpgradeListener listener, DatabaseLock dbLock) {
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
                return result(Outcome.PAUSED, journal.get().from(), journal.get().target(), times,
                        "Paused before step " + js.id() + ". Nothing is half done. Run '" + command("resume")
                                + "' to go on, or '" + command("rollback") + "' to undo.");
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
                        + "\nNothing is lost: the journal records every step. Fix the cause and run '" + command("resume")
                        + "', or run '" + command("rollback") + "' to return to " + journal.get().from() + ".", e);
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
        return result(Outcome.DONE, journal.get().from(), journal.get().target(), times,
                catalog.product().name() + " " + journal.get().target() + " is installed.");
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
                    + " Run '" + command("resume") + "' once the other process is done, or '" + command("rollback") + "'.", e);
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
                    + "\nThe journal still records the rollback; fix the cause and run '" + command("rollback") + "' again.", e);
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
            } catch (java.io.IOException e) {
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

    private UpgradeJournal newJournal(Installation inst, Plan plan) {
        List<JournalStep> steps = new ArrayList<>();
        for (Hop hop : plan.hops()) {
            for (Step s : hop.steps()) {
                steps.add(new JournalStep(s.id(), s.kind().name(), hop.from().toString(), hop.to().toString(), StepStatus.PENDING,
                        null, null, 0, null));
            }
        }
        String now = clock.instant().toString();
        String id = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(clock.instant())
                + "-" + plan.installed() + "-to-" + plan.target();
        return new UpgradeJournal(id, inst.state().product(), plan.installed().toString(), plan.target().toString(), RunState.RUNNING,
                checksum(steps), null, false, now, now, "started", catalog.folder().toString(), backupDir.toString(), Map.of(), steps);
    }

    private String checksum(List<JournalStep> steps) {
        Version from = Version.parse(steps.get(0).hopFrom());
        Version to = Version.parse(steps.get(steps.size() - 1).hopTo());
        return PlanChecksum.of(steps.stream().map(JournalStep::id).toList(),
                List.copyOf(catalog.releases().subMap(from, false, to, true).values()));
    }

    private void refuseEditedCatalog(Journal journal) {
        if (!checksum(journal.get().steps()).equals(journal.get().planChecksum())) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, "The release catalog " + catalog.folder() + " changed since the upgrade to "
                    + journal.get().target() + " started (its releases, migrations or program files differ). Put the catalog back as it was "
                    + "to resume, or run 'uplift rollback' (rollback restores from the backup and does not need the catalog unchanged).");
        }
    }

    /**
     * Resume re-encrypts and writes secrets: with another installation's keyset (or a wrong master
     * key) it must not start. An interrupted rotation (file rotated, record not yet) is let through.
     */
    private static void refuseForeignKeyset(Installation inst) {
        var db = inst.databaseSettings();
        Optional<KeysetRecord> recorded;
        try (java.sql.Connection conn = io.uplift.db.Jdbc.connect(db.url(), db.user(), db.password())) {
            recorded = KeysetRecord.read(conn);
        } catch (java.sql.SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot read the keyset fingerprint from " + db.url() + ": "
                    + e.getMessage() + ". Nothing was changed; make the database reachable and run 'uplift resume' again.", e);
        }
        KeysetConsistency.require(inst.home(), recorded, true);
    }

    private static void refuseFailedChecks(CheckReport report) {
        List<CheckResult> failed = report.results().stream().filter(r -> r.status() == CheckStatus.FAIL).toList();
        if (!failed.isEmpty()) {
            throw new UpliftException(ErrorCode.PREFLIGHT_FAILED, "The upgrade did not start, nothing was changed: "
                    + failed.stream().map(r -> "\n  " + r.title() + ": " + r.observed() + "; what to do: " + r.remedy())
                            .collect(Collectors.joining()));
        }
    }

    private HomeLock lock(String command) {
        Path lockFile = home.resolve(".uplift").resolve("lock");
        Installation.open(home); // a clear error for a folder that is not an installation, before creating anything
        return HomeLock.acquire(lockFile, command);
    }

    /**
     * The command that goes on from here, as the operator must type it. A run given another catalog
     * than the recorded one (--catalog) needs it again: resume refuses a plan whose catalog changed.
     */
    private String command(String verb) {
        boolean otherCatalog;
        try {
            String recorded = Installation.open(home).state().catalog();
            otherCatalog = recorded == null || !Path.of(recorded).toAbsolutePath().normalize().equals(catalog.folder());
        } catch (UpliftException e) {
            otherCatalog = true; // naming the catalog is never wrong; only needless
        }
        return "uplift " + verb + " --home " + home + (otherCatalog ? " --catalog " + catalog.folder() : "");
    }

    private Path journalFile() {
        return home.resolve(".uplift").resolve("journal.json");
    }

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

    private static Version parseTarget(String target) {
        try {
            return Version.parse(target);
        } catch (IllegalArgumentException e) {
            throw new UpliftException(ErrorCode.USAGE, "--to " + e.getMessage());
        }
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private UpgradeResult result(Outcome outcome, String from, String to, List<StepTime> times, String message) {
        List<StatusResult.Task> tasks = List.of();
        try {
            tasks = Installation.open(home).state().pendingTasks().stream()
                    .map(t -> new StatusResult.Task(t.release(), t.id(), t.title(), t.mode())).toList();
        } catch (UpliftException e) {
            // The result is still worth returning without the task list.
        }
        String installed = Installation.open(home).state().version();
        return new UpgradeResult(outcome, from, to, installed, times, tasks, message);
    }
}
