package io.uplift;

import io.uplift.api.CheckReport;
import io.uplift.api.Database;
import io.uplift.api.ExportSummary;
import io.uplift.api.ImportRequest;
import io.uplift.api.ImportResult;
import io.uplift.api.MoveListener;
import io.uplift.api.MoveReport;
import io.uplift.api.MoveRequest;
import io.uplift.api.MoveValidation;
import io.uplift.api.SourceDescription;
import io.uplift.api.SourceIndexesToDrop;
import io.uplift.dbmove.ImportVerbs;
import io.uplift.dbmove.MoveVerbs;
import io.uplift.api.ErrorCode;
import io.uplift.api.StatusResult;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.CatalogLoader;
import io.uplift.catalog.Version;
import io.uplift.check.CheckContext;
import io.uplift.check.Preflight;
import io.uplift.demo.DemoPreparer;
import io.uplift.demo.DemoResult;
import io.uplift.demo.DemoSettings;
import io.uplift.api.ProgressListener;
import io.uplift.install.Installation;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.KeyRotationRequest;
import io.uplift.api.KeysetProtection;
import io.uplift.api.MasterKeyTarget;
import io.uplift.api.TokenRevokeRequest;
import io.uplift.keys.InstallationKeys;
import io.uplift.keys.tokens.InstallationTokens;
import io.uplift.keys.tokens.TokenSummary;
import io.uplift.upgrade.KeyChangeLocks;
import io.uplift.api.ReissuedToken;
import io.uplift.api.RevokedTokens;
import io.uplift.api.TokenList;
import io.uplift.install.NodeLocalFiles;
import io.uplift.install.ProductDatabase;
import io.uplift.install.ProductDatabase.Probe;
import io.uplift.journal.HomeLock;
import io.uplift.plan.Plan;
import io.uplift.plan.PlanResult;
import io.uplift.plan.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Clock;
import io.uplift.api.UpgradeResult;
import io.uplift.backup.BackupManifest;
import io.uplift.backup.BackupResult;
import io.uplift.backup.BackupSettings;
import io.uplift.backup.Backups;
import io.uplift.backup.FreeSpace;
import io.uplift.backup.VerifyResult;
import io.uplift.journal.Journal;
import io.uplift.journal.RunState;
import io.uplift.journal.StepStatus;
import io.uplift.journal.UpgradeJournal;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import io.uplift.db.PgTools;
import io.uplift.catalog.Release;
import io.uplift.install.PendingTask;
import io.uplift.upgrade.ChangeLock;
import io.uplift.upgrade.Cleanup;
import io.uplift.upgrade.PostUpgradeTasks;
import io.uplift.upgrade.UpgradeEngine;
import io.uplift.upgrade.UpgradeListener;
import io.uplift.api.KeyRetirementResult;
import io.uplift.api.KeyRotationResult;
import io.uplift.api.KeysStatus;
import io.uplift.api.RotationListener;

/**
 * The one entry point of Uplift. {@code Uplift.configure().home(dir)...load()} validates every
 * setting once and returns an immutable engine; the CLI and the console call only its verbs.
 */
public final class Uplift {
    private final Path home;
    private final Optional<Path> catalogOverride;
    private final Path backupDir;
    private final boolean backupDirGiven;
    private final Optional<String> holdAt;
    private final Clock clock;
    private final boolean acceptKeysetMismatch;
    // Set by a signal handler to stop an upgrade after its current step; the one mutable field.
    private final AtomicBoolean pauseRequested = new AtomicBoolean();

    private Uplift(Builder b) {
        this.home = b.home;
        this.catalogOverride = Optional.ofNullable(b.catalog);
        this.backupDir = b.backupDir == null ? home.resolve(".uplift").resolve("backups") : b.backupDir;
        this.backupDirGiven = b.backupDir != null;
        this.holdAt = Optional.ofNullable(b.holdAt);
        this.clock = b.clock;
        this.acceptKeysetMismatch = b.acceptKeysetMismatch;
    }

    public static Builder configure() {
        return new Builder();
    }

    /**
     * For vendors ('uplift catalog checksum FOLDER'): for a release folder (one with release.yaml) the
     * program-files-sha256 and migrations-sha256 lines for its release.yaml; for any other folder its
     * tree checksum alone, as program-files-sha256 has always been computed.
     */
    public static List<String> catalogChecksum(Path folder) {
        if (Files.isRegularFile(folder.resolve("release.yaml"))) {
            return io.uplift.catalog.CatalogLoader.checksumsOf(folder).yamlLines();
        }
        return List.of(io.uplift.install.TreeHash.of(folder));
    }

    /** Settings of an engine; {@link #load()} checks them and seals them. */
    public static final class Builder {
        private Path home;
        private Path catalog;
        private Path backupDir;
        private String holdAt;
        private Clock clock = Clock.systemUTC();
        private boolean acceptKeysetMismatch;

        private Builder() {}

        /** Rollback restores the backup's database even when this node's keyset is not the one it recorded. */
        public Builder acceptKeysetMismatch(boolean accept) {
            this.acceptKeysetMismatch = accept;
            return this;
        }

        /** Fault knob for the crash tests: "STEP-ID:before|after" parks the upgrade there to be killed. */
        public Builder holdAt(String stepAndWhen) {
            this.holdAt = stepAndWhen;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        public Builder catalog(Path catalog) {
            this.catalog = catalog;
            return this;
        }

        public Builder backupDir(Path backupDir) {
            this.backupDir = backupDir;
            return this;
        }

        public Uplift load() {
            if (home == null) {
                throw new UpliftException(ErrorCode.USAGE, "No home folder given: pass --home DIR or set UPLIFT_HOME.");
            }
            home = home.toAbsolutePath().normalize();
            if (catalog != null) {
                catalog = catalog.toAbsolutePath().normalize();
                if (!Files.isDirectory(catalog)) {
                    throw new UpliftException(ErrorCode.CATALOG_INVALID, "--catalog " + catalog
                            + " is not a folder: pass the folder that holds product.yaml and releases/.");
                }
            }
            if (holdAt != null && !holdAt.matches("[^:]+:(before|after)")) {
                throw new UpliftException(ErrorCode.USAGE, "The hold point '" + holdAt + "' must look like 2.1/migrate-schema:before");
            }
            if (backupDir != null) {
                backupDir = backupDir.toAbsolutePath().normalize();
                if (backupDir.startsWith(home.resolve("app")) || backupDir.startsWith(home.resolve("config"))) {
                    throw new UpliftException(ErrorCode.USAGE, "--backup-dir " + backupDir
                            + " lies inside the program or config folder, which an upgrade replaces or protects: choose another folder.");
                }
            }
            return new Uplift(this);
        }
    }

    public Path home() {
        return home;
    }

    public StatusResult status() {
        Installation inst = Installation.open(home);
        Probe probe = new ProductDatabase(inst).probe();
        List<String> declared = new ArrayList<>(inst.state().nodeLocalFiles().keySet());
        try {
            catalog(inst).product().nodeLocalFiles().stream().filter(f -> !declared.contains(f)).forEach(declared::add);
        } catch (UpliftException e) {
            // status must work with a broken catalog too: it then shows the recorded files only.
        }
        List<StatusResult.NodeLocalFile> files = NodeLocalFiles.compare(home, declared, inst.state().nodeLocalFiles()).stream()
                .map(f -> new StatusResult.NodeLocalFile(f.path(), f.state().name().toLowerCase())).toList();
        List<StatusResult.Task> tasks = inst.state().pendingTasks().stream()
                .map(t -> new StatusResult.Task(t.release(), t.id(), t.title(), t.mode())).toList();
        var db = probe.database();
        StatusResult.Database database = new StatusResult.Database(inst.databaseSettings().url(), db.reachable(), db.serverVersion(),
                db.error(), probe.serverState() != ProductDatabase.ServerState.NOT_MANAGED,
                probe.serverState().name().toLowerCase().replace("not_managed", "not managed"));
        return new StatusResult(home.toString(), inst.state().product(), inst.state().version(),
                db.schemaVersion().orElse(db.reachable() ? "none" : "unknown"), database, files, tasks, upgradeState(inst),
                tokenSummary(inst, db.reachable()), keyState());
    }

    /** Deprecated app tokens for status and the upgrade summary; null when the product declares none. */
    public StatusResult.Tokens tokenSummary() {
        return tokenSummary(Installation.open(home), true);
    }

    private StatusResult.Tokens tokenSummary(Installation inst, boolean reachable) {
        return TokenSummary.of(() -> new InstallationTokens(inst, catalog(inst)), home, reachable);
    }

    /** The app tokens of the installation ('uplift tokens list'). */
    public TokenList tokens(boolean deprecatedOnly) {
        return installationTokens().list(deprecatedOnly);
    }

    /** Re-issues a deprecated app token in the current format; the result holds the only copy of the token. */
    public ReissuedToken reissueToken(String name) {
        return installationTokens().reissue(name);
    }

    /** Deletes deprecated app tokens ('uplift tokens revoke'). */
    public RevokedTokens revokeToken(TokenRevokeRequest request) {
        return installationTokens().revoke(request.name(), request.format(), request.evenIfLast());
    }

    private InstallationTokens installationTokens() {
        Installation inst = Installation.open(home);
        return new InstallationTokens(inst, catalog(inst));
    }

    private StatusResult.Keys keyState() {
        return keys().state();
    }

    private StatusResult.Upgrade upgradeState(Installation inst) {
        Optional<String> holder = HomeLock.holder(inst.lockFile());
        if (holder.isPresent()) {
            return new StatusResult.Upgrade("running", "locked by " + holder.get(), UpgradeEngine.progress(home).orElse(null));
        }
        Optional<Journal> found;
        try {
            found = Journal.open(inst.journalFile(), clock);
        } catch (UpliftException e) {
            return new StatusResult.Upgrade("interrupted", e.getMessage());
        }
        return found.map(journal -> {
            UpgradeJournal j = journal.get();
            String at = j.steps().stream().filter(s -> s.status() != StepStatus.DONE && s.status() != StepStatus.PENDING)
                    .map(s -> "in " + s.id() + " (" + s.status().name().toLowerCase() + ")").findFirst()
                    .orElseGet(() -> {
                        String last = j.steps().stream().filter(s -> s.status() == StepStatus.DONE).map(s -> s.id())
                                .reduce((a, b) -> b).orElse("the start");
                        return "after " + last + j.steps().stream().filter(s -> s.status() == StepStatus.PENDING).map(s -> ", before " + s.id())
                                .findFirst().orElse("");
                    });
            String next = j.state() == RunState.ROLLING_BACK ? "run 'uplift rollback' to finish the rollback"
                    : "run 'uplift resume' to finish it or 'uplift rollback' to undo it";
            return new StatusResult.Upgrade("interrupted", "upgrade " + j.from() + " -> " + j.target() + " " + j.state().name().toLowerCase()
                    + ", stopped " + at + ": " + next, UpgradeEngine.progress(home).orElse(null));
        }).orElse(new StatusResult.Upgrade("none", ""));
    }

    public PlanResult plan(String target) {
        Installation inst = Installation.open(home);
        Catalog catalog = catalog(inst);
        OptionalInt major = new ProductDatabase(inst).probe().database().major();
        return new PlanResult(catalog.product().name(), plan(catalog, inst, target, major));
    }

    public CheckReport check(String target) {
        Installation inst = Installation.open(home);
        Catalog catalog = catalog(inst);
        Probe probe = new ProductDatabase(inst).probe();
        Plan plan = plan(catalog, inst, target, probe.database().major());
        CheckContext context = new CheckContext(inst, catalog, plan, probe.database(), backupDir,
                Runtime.version().feature(), System.getProperty("os.name"), System.getProperty("user.name"));
        return Preflight.standard().run(context);
    }

    /** Starts the database server Uplift manages for this installation; tells what it found. */
    public ProductDatabase.ServerState startDatabase() {
        return new ProductDatabase(Installation.open(home)).ensureRunning();
    }

    public ProductDatabase.ServerState stopDatabase() {
        return new ProductDatabase(Installation.open(home)).stop();
    }

    /** Upgrades to {@code target} under the journal; see {@link UpgradeEngine}. */
    public UpgradeResult upgrade(String target, UpgradeListener listener) {
        return engine().upgrade(target, listener);
    }

    public UpgradeResult resume(UpgradeListener listener) {
        return engine().resume(listener);
    }

    public UpgradeResult rollback(UpgradeListener listener) {
        return engine().rollback(listener);
    }

    /**
     * @param discardWritesAfterMaintenance roll back even though maintenance mode already ended (the
     *        product may have written since; the restore discards those changes): the operator's explicit choice
     */
    public UpgradeResult rollback(UpgradeListener listener, boolean discardWritesAfterMaintenance) {
        return engine().rollback(listener, discardWritesAfterMaintenance);
    }

    /** Stops a running upgrade, resume or rollback after its current step. Safe from a signal handler. */
    public void requestPause() {
        pauseRequested.set(true);
    }

    public boolean upgradeInProgress() {
        return Files.exists(Installation.open(home).journalFile());
    }

    public List<PendingTask> pendingTasks() {
        return tasks().pending();
    }

    public List<Release.ObsoleteDependency> obsoleteDependencies() {
        return tasks().obsoleteDependencies();
    }

    public List<PostUpgradeTasks.Outcome> runTasks(Optional<String> only) {
        return tasks().runAutomatic(only);
    }

    public PostUpgradeTasks.Outcome taskDone(String id) {
        return tasks().done(id);
    }

    public List<Cleanup.Item> cleanup() throws java.io.IOException {
        return new Cleanup(home, catalog(Installation.open(home))).run();
    }

    private PostUpgradeTasks tasks() {
        return new PostUpgradeTasks(home, catalog(Installation.open(home)));
    }

    /**
     * The engine for upgrade, resume and rollback. An upgrade in progress goes on with the catalog
     * and backup folder it started with (the journal names them), unless the operator names others.
     */
    private UpgradeEngine engine() {
        Installation inst = Installation.open(home);
        Optional<UpgradeJournal> journal = Optional.empty();
        try {
            journal = Journal.open(inst.journalFile(), clock).map(Journal::get);
        } catch (UpliftException e) {
            // The engine reports an unreadable journal itself, with the remedy.
        }
        Catalog catalog = catalogOverride.isEmpty() && journal.map(UpgradeJournal::catalog).isPresent()
                ? CatalogLoader.load(Path.of(journal.get().catalog())) : catalog(inst);
        Path backups = !backupDirGiven && journal.map(UpgradeJournal::backupDir).isPresent()
                ? Path.of(journal.get().backupDir()) : backupDir;
        Supplier<Backups> store = new Supplier<>() {
            private Backups made;

            @Override
            public synchronized Backups get() {
                if (made == null) {
                    made = new Backups(backups, PgTools.locate(Optional.empty()));
                }
                return made;
            }
        };
        return new UpgradeEngine(home, catalog, store, backups, clock, pauseRequested, holdAt, acceptKeysetMismatch);
    }

    /**
     * Takes a verified backup now ('uplift backup'), under the home lock so that it never copies
     * program files an upgrade is swapping. The backup of an interrupted upgrade is never removed by
     * retention: rollback needs it.
     */
    public BackupResult backup(BackupSettings settings, ProgressListener progress) {
        Installation inst = Installation.open(home);
        new ProductDatabase(inst).ensureRunning();
        Set<String> protectedIds = new HashSet<>(settings.protectedIds());
        try (HomeLock lock = HomeLock.acquire(inst.lockFile(), "uplift backup")) {
            // Read under the lock: an upgrade that starts meanwhile names its backup in the journal only after taking it.
            Journal.open(inst.journalFile(), clock).map(j -> j.get().backupId()).filter(id -> id != null).ifPresent(protectedIds::add);
            return new Backups(backupDir, PgTools.locate(settings.pgToolsDir()), FreeSpace.FILE_STORE, settings.keep(), clock)
                    .create(inst, progress, protectedIds);
        }
    }

    /** Re-checks a backup in the backup folder against its manifest ('uplift backup --verify ID'). */
    public VerifyResult verifyBackup(String id, Optional<Path> pgToolsDir) {
        return new Backups(backupDir, PgTools.locate(pgToolsDir)).verify(id);
    }

    /** The complete backups in the backup folder, newest first ('uplift backup --list'). */
    public List<BackupManifest> listBackups() {
        return Backups.listIn(backupDir);
    }

    public Path backupDir() {
        return backupDir;
    }

    /** Creates the demo installation (Lockbox 1.0 with generated data) in this engine's home. */
    public DemoResult prepareDemo(DemoSettings settings, ProgressListener progress) {
        return new DemoPreparer(home, settings).prepare(progress);
    }

    /** The keys of the keyset, their state and the values under each ('uplift keys status'); changes nothing. */
    public KeysStatus keysStatus() {
        return keys().status();
    }

    /** Refuses, before any question is asked, what would make 'uplift keys rotate' or 'keys retire' fail at once. */
    public void checkKeyChange(String command) {
        keys().checkChange(command);
    }

    /**
     * Refuses, before any question is asked, what 'tasks run', 'tasks done', 'cleanup' or 'keys
     * protect' would refuse once they take the lock: another command running, an upgrade unfinished.
     */
    public void checkChange(String command) {
        ChangeLock.check(Installation.open(home), command);
    }

    /** 'uplift keys rotate' (see {@link InstallationKeys#rotate}). */
    public KeyRotationResult rotateKeys(KeyRotationRequest request, RotationListener listener) {
        return keys().rotate(request, listener);
    }

    /** The retiring keys 'uplift keys retire' would disable now (all of them with {@code now}). */
    public List<Long> keysDueForRetirement(boolean now) {
        return keys().dueForRetirement(now);
    }

    /** 'uplift keys retire': disables the retiring keys whose grace has passed and that no value is under. */
    public KeyRetirementResult retireKeys(boolean now) {
        return keys().retire(now);
    }

    /** Seals the home's keyset with {@code target} ('uplift keys protect'), under the home lock. */
    public KeysetProtection protectKeyset(MasterKeyTarget target, KeyEnvironment env) {
        return keys().protect(target, env);
    }

    private InstallationKeys keys() {
        return new InstallationKeys(home, this::catalog, clock, KeyChangeLocks.INSTANCE);
    }

    private static Plan plan(Catalog catalog, Installation inst, String target, OptionalInt major) {
        Version to;
        try {
            to = Version.parse(target);
        } catch (IllegalArgumentException e) {
            throw new UpliftException(ErrorCode.USAGE, "--to " + e.getMessage());
        }
        return new Planner(catalog).plan(Version.parse(inst.state().version()), to, major);
    }

    private Catalog catalog(Installation inst) {
        Path dir = catalogOverride.orElseGet(() -> {
            if (inst.state().catalog() == null) {
                throw new UpliftException(ErrorCode.CATALOG_INVALID, "The installation " + home
                        + " records no release catalog: pass the vendor's catalog folder with --catalog DIR.");
            }
            return Path.of(inst.state().catalog());
        });
        return CatalogLoader.load(dir);
    }

    // The database verbs ('uplift db move', 'uplift db import'). They work between any two PostgreSQL
    // databases, with no installation: static, so that no caller has to invent a home to reach them.

    /** Reads a connection string given after {@code flag} and finds its password, once (see {@link Database}). */
    public static Database resolveDatabase(String flag, String connection, Optional<Path> passwordFile,
            java.util.function.Consumer<String> warnings) {
        return MoveVerbs.resolve(flag, connection, passwordFile, warnings);
    }

    /** Moves a database to another server ('uplift db move'): copy, export, validation as the request says. */
    public static MoveReport moveDatabase(MoveRequest request, MoveListener listener) {
        return MoveVerbs.move(request, listener);
    }

    /** Only compares source and target of an earlier move ('uplift db move --validate'): counts, checksums, schema. */
    public static MoveValidation validateMove(MoveRequest request) {
        return MoveVerbs.validate(request);
    }

    /** What 'uplift db move --drop-source-indexes' would drop; changes nothing. */
    public static SourceIndexesToDrop sourceIndexesToDrop(MoveRequest request) {
        return MoveVerbs.sourceIndexesToDrop(request);
    }

    /** What a move's source holds, read just before 'uplift db move --delete-source' asks to drop it. */
    public static SourceDescription describeMoveSource(Database source) {
        return MoveVerbs.describeSource(source);
    }

    /** DROP DATABASE of a move's source; refused while other sessions use it. Call it only after a passed validation. */
    public static void deleteMoveSource(Database source) {
        MoveVerbs.deleteSource(source);
    }

    /** What an export folder's manifest.json says it holds ('uplift db import'); changes nothing. */
    public static ExportSummary readExport(Path folder) {
        return ImportVerbs.readExport(folder);
    }

    /** Loads an export into an empty database ('uplift db import'), or finishes an earlier import with resume. */
    public static ImportResult importDatabase(ImportRequest request, MoveListener listener) {
        return ImportVerbs.load(request, listener);
    }
}
