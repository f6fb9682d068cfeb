package io.uplift.upgrade;

import io.uplift.api.ClusterMode;
import io.uplift.api.UpgradeListener;
import io.uplift.api.CheckReport;
import io.uplift.api.CheckResult;
import io.uplift.api.CheckStatus;
import io.uplift.api.ErrorCode;
import io.uplift.api.StatusResult;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeResult.Outcome;
import io.uplift.api.UpliftException;
import io.uplift.backup.Backups;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.ReleaseChecksums;
import io.uplift.catalog.Version;
import io.uplift.check.CheckContext;
import io.uplift.check.Preflight;
import io.uplift.db.Jdbc;
import io.uplift.install.Installation;
import io.uplift.install.ProductDatabase;
import io.uplift.journal.HomeLock;
import io.uplift.journal.Journal;
import io.uplift.journal.RunState;
import io.uplift.journal.UpgradeLogFile;
import io.uplift.keys.KeysetConsistency;
import io.uplift.keys.KeysetRecord;
import io.uplift.plan.Plan;
import io.uplift.plan.Planner;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs an upgrade plan step by step under the journal, and resumes or rolls it back. Takes the
 * home lock and the database lock first and refuses what must not start (a run already under way,
 * failed checks, an edited catalog, another installation's keyset); the steps themselves are run by
 * {@link StepRunner}, which writes the journal before and after every step.
 */
public final class UpgradeEngine {
    private final Path home;
    private final Catalog catalog;
    private final Path backupDir;
    private final Clock clock;
    private final NextCommand command;
    private final UpgradeResults results;
    private final PlanJournal planJournal;
    private final StepRunner runner;

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
        this.home = home;
        this.catalog = catalog;
        this.backupDir = backupDir;
        this.clock = clock;
        this.command = new NextCommand(home, catalog);
        this.results = new UpgradeResults(home);
        this.planJournal = new PlanJournal(catalog);
        this.runner = new StepRunner(home, catalog, backups, pauseRequested, holdAt, acceptKeysetMismatch, command, results);
    }

    /** Which part of an upgrade this engine runs: the whole, a cluster node's, or a rolling cluster's primary's. */
    private enum Part { WHOLE, NODE, ROLLING_PRIMARY }

    public UpgradeResult upgrade(String target, UpgradeListener terminal) {
        return start(target, terminal, Part.WHOLE);
    }

    /**
     * The primary's part of a rolling cluster upgrade ({@link Plan#forRollingPrimary}): checks and backup
     * as always, then the expand migrations and the primary's program files without maintenance mode,
     * since the other nodes keep serving the previous release meanwhile. Refused when the plan cannot roll.
     */
    public UpgradeResult upgradeRollingPrimary(String target, UpgradeListener terminal) {
        return start(target, terminal, Part.ROLLING_PRIMARY);
    }

    /** A rolling upgrade's finalize (see {@link RollingFinalize}), under this home's lock and the database lock. */
    public String finalizeRolling(String target) {
        try (HomeLock lock = lock("uplift agent (finalize of the rolling upgrade to " + target + ")")) {
            Installation inst = Installation.open(home);
            try (DatabaseLock dbLock = DatabaseLock.acquire(inst.databaseSettings())) {
                return new RollingFinalize(inst, catalog).run(parseTarget(target));
            }
        }
    }

    /**
     * A cluster node's part of an upgrade whose primary already upgraded the shared database: only the
     * steps on this node's home ({@link Plan#forNode}), under this node's own journal, so that resume
     * and rollback work here as for any upgrade. The checks and the backup were the primary's.
     */
    public UpgradeResult upgradeNode(String target, UpgradeListener terminal) {
        return start(target, terminal, Part.NODE);
    }

    private UpgradeResult start(String target, UpgradeListener terminal, Part part) {
        boolean nodeOnly = part == Part.NODE;
        String commandLine = nodeOnly ? "uplift agent (this node's part of the upgrade to " + target + ")" : "uplift upgrade --to " + target;
        try (HomeLock lock = lock(commandLine)) {
            Installation inst = Installation.open(home);
            Journal.open(journalFile(), clock).ifPresent(j -> {
                throw new UpliftException(ErrorCode.LOCKED, "An upgrade to " + j.get().target() + " is already under way or was interrupted ("
                        + j.get().state() + "): finish it with 'uplift resume' or undo it with 'uplift rollback' first.");
            });
            LogRecorder log = logged(terminal);
            return log.run("upgrade " + inst.state().version() + " -> " + target + " started by " + commandLine,
                    () -> startLocked(inst, target, recorded(log), part));
        }
    }

    /** {@link #start} once the home lock is held and no journal is there. */
    private UpgradeResult startLocked(Installation inst, String target, UpgradeListener listener, Part part) {
        boolean nodeOnly = part == Part.NODE;
        ProductDatabase.Probe probe = new ProductDatabase(inst).probe();
        Version to = parseTarget(target);
        Plan full = new Planner(catalog).plan(Version.parse(inst.state().version()), to, probe.database().major());
        Plan plan = switch (part) {
            case WHOLE -> full;
            case NODE -> full.forNode();
            case ROLLING_PRIMARY -> full.isEmpty() ? full : full.forRollingPrimary(catalog.release(to).map(r -> r.clusterMode())
                    .orElse(ClusterMode.PRIMARY_FIRST)).orElseThrow(() -> new UpliftException(ErrorCode.USAGE,
                    "The upgrade from " + inst.state().version() + " to " + target + " cannot roll (one hop into a release that declares"
                            + " cluster-mode: rolling, without a database move or key rotation); nothing was changed."));
        };
        if (plan.isEmpty()) {
            return results.of(Outcome.NOTHING_TO_DO, inst.state().version(), target, List.of(),
                    catalog.product().name() + " " + inst.state().version() + " is installed: nothing to do.");
        }
        // Before anything is touched: what the upgrade will run against the database is the vendor's.
        catalog.releases().headMap(to, true).values().forEach(ReleaseChecksums::requireMigrationsIntact);
        try (DatabaseLock dbLock = DatabaseLock.acquire(inst.databaseSettings())) {
            if (nodeOnly) {
                Journal journal = Journal.create(journalFile(), clock, planJournal.start(inst.state().product(), plan, backupDir, clock));
                return runner.forward(journal, listener, dbLock);
            }
            CheckReport report = Preflight.duringUpgrade().run(new CheckContext(inst, catalog, plan, probe.database(), backupDir,
                    Runtime.version().feature(), System.getProperty("os.name"), System.getProperty("user.name")));
            refuseFailedChecks(report);
            Journal journal = Journal.create(journalFile(), clock, planJournal.start(inst.state().product(), plan, backupDir, clock));
            return runner.forward(journal, listener, dbLock);
        }
    }

    public UpgradeResult resume(UpgradeListener terminal) {
        try (HomeLock lock = lock("uplift resume")) {
            Optional<Journal> found = Journal.open(journalFile(), clock);
            if (found.isEmpty()) {
                return results.of(Outcome.NOTHING_IN_PROGRESS, "", "", List.of(), "No upgrade is in progress in " + home + ": nothing to resume.");
            }
            Journal journal = found.get();
            LogRecorder log = logged(terminal);
            return log.run("resume of the upgrade " + journal.get().from() + " -> " + journal.get().target() + " ("
                    + journal.get().state().name().toLowerCase() + ") started by uplift resume", () -> resumeLocked(journal, recorded(log)));
        }
    }

    private UpgradeResult resumeLocked(Journal journal, UpgradeListener listener) {
        if (journal.get().state() == RunState.ROLLING_BACK) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "A rollback of the upgrade to " + journal.get().target()
                    + " was interrupted; it cannot be resumed forward. Run 'uplift rollback' to finish it.");
        }
        planJournal.requireCatalogUnchanged(journal);
        Installation inst = Installation.open(home);
        new ProductDatabase(inst).ensureRunning();
        try (DatabaseLock dbLock = DatabaseLock.acquire(inst.databaseSettings())) {
            refuseForeignKeyset(inst);
            journal.state(RunState.RUNNING, "resumed");
            return runner.forward(journal, listener, dbLock);
        }
    }

    public UpgradeResult rollback(UpgradeListener terminal) {
        return rollback(terminal, false);
    }

    /** @param discardWritesAfterMaintenance the operator accepts losing what the product wrote after maintenance ended */
    public UpgradeResult rollback(UpgradeListener terminal, boolean discardWritesAfterMaintenance) {
        try (HomeLock lock = lock("uplift rollback")) {
            Optional<Journal> found = Journal.open(journalFile(), clock);
            if (found.isEmpty()) {
                return results.of(Outcome.NOTHING_IN_PROGRESS, "", "", List.of(), "No upgrade is in progress in " + home + ": nothing to roll back.");
            }
            Journal journal = found.get();
            LogRecorder log = logged(terminal);
            return log.run("rollback of the upgrade " + journal.get().from() + " -> " + journal.get().target() + " ("
                    + journal.get().state().name().toLowerCase() + ") started by uplift rollback",
                    () -> rollbackLocked(journal, recorded(log), discardWritesAfterMaintenance));
        }
    }

    private UpgradeResult rollbackLocked(Journal journal, UpgradeListener listener, boolean discardWritesAfterMaintenance) {
        Installation inst = Installation.open(home);
        new ProductDatabase(inst).ensureRunning();
        try (DatabaseLock dbLock = DatabaseLock.acquire(inst.databaseSettings())) {
            MaintenanceEnded.refuseRollback(journal, inst.databaseSettings(), command.of("resume"), command.of("rollback"),
                    discardWritesAfterMaintenance, listener);
            return runner.backward(journal, listener, dbLock);
        }
    }

    /** The last progress report of the step that runs, or ran when the upgrade was interrupted. */
    public static Optional<StatusResult.Progress> progress(Path home) {
        return ProgressRecorder.read(home.resolve(".uplift"));
    }

    /** The listener, plus the progress report that 'uplift status' reads (.uplift/progress.json). */
    private UpgradeListener recorded(UpgradeListener logged) {
        return new ProgressRecorder(logged, home.resolve(".uplift"), clock);
    }

    /** The listener, plus the upgrade log (.uplift/upgrade.log); made once the home lock is held, so it has one writer. */
    private LogRecorder logged(UpgradeListener terminal) {
        return new LogRecorder(terminal, new UpgradeLogFile(home.resolve(".uplift"), clock));
    }

    /**
     * Resume re-encrypts and writes secrets: with another installation's keyset (or a wrong master
     * key) it must not start. An interrupted rotation (file rotated, record not yet) is let through.
     */
    private static void refuseForeignKeyset(Installation inst) {
        var db = inst.databaseSettings();
        Optional<KeysetRecord> recorded;
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password())) {
            recorded = KeysetRecord.read(conn);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot read the keyset fingerprint from " + db.url() + ": "
                    + e.getMessage() + ". Nothing was changed; make the database reachable and run 'uplift resume' again.", e);
        }
        KeysetConsistency.require(inst.home(), recorded, true);
    }

    /** The preflight's failures, each with what to do, refuse the upgrade before anything is changed; warnings do not. */
    static void refuseFailedChecks(CheckReport report) {
        List<CheckResult> failed = report.results().stream().filter(r -> r.status() == CheckStatus.FAIL).toList();
        if (!failed.isEmpty()) {
            throw new UpliftException(ErrorCode.PREFLIGHT_FAILED, "The upgrade did not start, nothing was changed: "
                    + failed.stream().map(r -> "\n  " + r.title() + ": " + r.observed() + "; what to do: " + r.remedy())
                            .collect(Collectors.joining()));
        }
    }

    private HomeLock lock(String commandLine) {
        Path lockFile = home.resolve(".uplift").resolve("lock");
        Installation.open(home); // a clear error for a folder that is not an installation, before creating anything
        return HomeLock.acquire(lockFile, commandLine);
    }

    private Path journalFile() {
        return home.resolve(".uplift").resolve("journal.json");
    }

    private static Version parseTarget(String target) {
        try {
            return Version.parse(target);
        } catch (IllegalArgumentException e) {
            throw new UpliftException(ErrorCode.USAGE, "--to " + e.getMessage());
        }
    }
}
