package io.uplift;

import io.uplift.api.ServerState;
import io.uplift.api.JournalView;
import io.uplift.api.MaintenanceState;
import io.uplift.api.SupportBundle;
import io.uplift.api.UpgradeLog;
import io.uplift.journal.JournalViews;
import io.uplift.journal.UpgradeLogFile;
import io.uplift.support.BundleReports;
import io.uplift.support.SupportBundleWriter;
import io.uplift.upgrade.ManualMaintenance;
import io.uplift.api.BackupManifest;
import io.uplift.api.BackupResult;
import io.uplift.api.BackupSettings;
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
import io.uplift.api.CleanupItem;
import io.uplift.api.DemoResult;
import io.uplift.api.DemoService;
import io.uplift.api.LoadRun;
import io.uplift.demo.DemoLoad;
import io.uplift.upgrade.ProductServices;
import io.uplift.api.DemoSettings;
import io.uplift.api.ErrorCode;
import io.uplift.api.KeyRetirementResult;
import io.uplift.api.KeyRotationResult;
import io.uplift.api.KeysStatus;
import io.uplift.api.ForgottenNode;
import io.uplift.api.NodeList;
import io.uplift.api.ObsoleteDependency;
import io.uplift.api.PendingTask;
import io.uplift.api.PlanResult;
import io.uplift.api.ProgressListener;
import io.uplift.api.StatusResult;
import io.uplift.api.TaskOutcome;
import io.uplift.api.UpgradeListener;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeTarget;
import io.uplift.api.UpliftException;
import io.uplift.api.VerifyResult;
import io.uplift.backup.Backups;
import io.uplift.backup.ManualBackup;
import io.uplift.catalog.Catalog;
import io.uplift.cluster.ClusterAgent;
import io.uplift.cluster.ClusterControl;
import io.uplift.cluster.NodeForgetting;
import io.uplift.cluster.NodeRegistry;
import io.uplift.api.AgentListener;
import io.uplift.api.AgentSettings;
import io.uplift.api.ClusterStateChange;
import io.uplift.api.ClusterStatus;
import java.time.Duration;
import java.util.function.Consumer;
import io.uplift.catalog.ReleaseChecksums;
import io.uplift.demo.ClusterNodeJoin;
import io.uplift.demo.DemoPreparer;
import io.uplift.api.JoinedNode;
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
import io.uplift.check.UpgradePreview;
import io.uplift.db.PgTools;
import io.uplift.install.InstallationCatalog;
import io.uplift.install.ProductDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Clock;
import java.util.Set;
import io.uplift.upgrade.AgentEngine;
import io.uplift.upgrade.ChangeLock;
import io.uplift.upgrade.Cleanup;
import io.uplift.upgrade.PostUpgradeTasks;
import io.uplift.upgrade.UpgradeEngine;
import io.uplift.api.RotationListener;
import io.uplift.upgrade.EngineLoader;
import io.uplift.upgrade.StatusReport;
import io.uplift.upgrade.DrRefresh;
import io.uplift.api.DrRefreshResult;

/**
 * The one entry point of Uplift. {@code Uplift.configure().home(dir)...load()} validates every
 * setting once and returns an immutable engine; the CLI and the console call only its verbs.
 * A verb only delegates to the domain class that does the work (StatusReport, UpgradePreview,
 * EngineLoader, ManualBackup...) and speaks in the types of {@code io.uplift.api}.
 * Its length is its verbs (some forty public methods of one statement each, with their comments);
 * the only logic here is the Builder's check of the settings, which must happen before any verb.
 */
public final class Uplift {
    private final Path home;
    private final InstallationCatalog catalogs;
    private final Path backupDir;
    private final boolean backupDirGiven;
    private final Optional<String> holdAt;
    private final Clock clock;
    private final boolean acceptKeysetMismatch;
    // Set by a signal handler to stop an upgrade after its current step; the one mutable field.
    private final AtomicBoolean pauseRequested = new AtomicBoolean();

    private Uplift(Builder b) {
        this.home = b.home;
        this.catalogs = new InstallationCatalog(Optional.ofNullable(b.catalog));
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
        return ReleaseChecksums.linesFor(folder);
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

    /** The installation's status, with the nodes the product's node gates registered in its database. */
    public StatusResult status() {
        StatusResult status = new StatusReport(home, catalogs, clock).read(this::tokenSummary, this::keyState);
        return status.withNodes(new NodeRegistry(Installation.open(home)).forStatus(status.database().reachable()));
    }

    /**
     * 'uplift agent': this node's agent, until {@link #requestPause()} (SIGTERM, Ctrl-C); it leads the
     * cluster when it holds the lease and carries out this node's orders (see {@link ClusterAgent}).
     */
    public void runAgent(AgentSettings settings, AgentListener listener) throws InterruptedException {
        ClusterAgent.of(Installation.open(home), catalogs.of(home), new AgentEngine(this::engine, home, catalogs.of(home).product().services()),
                settings, listener).run(pauseRequested);
    }

    /** 'uplift cluster upgrade': asks the agents to upgrade every node, this one as the primary; returns the upgrade's id. */
    public long requestClusterUpgrade(UpgradeTarget target) {
        return new ClusterControl(Installation.open(home)).requestUpgrade(target.version());
    }

    /** 'uplift cluster cancel': refused, saying why, once the primary started its upgrade. */
    public long requestClusterCancel() {
        return new ClusterControl(Installation.open(home)).requestCancel();
    }

    /** 'uplift cluster status': the cluster's state, the current upgrade's history, each node's part, the agents. */
    public ClusterStatus clusterStatus() {
        return new ClusterControl(Installation.open(home)).status();
    }

    /** Hands each state of upgrade {@code upgradeId} to {@code onChange} until it ends (its last state) or {@code timeout} passes (empty). */
    public Optional<ClusterStateChange> followClusterUpgrade(long upgradeId, Duration timeout, Consumer<ClusterStateChange> onChange)
            throws InterruptedException {
        return new ClusterControl(Installation.open(home)).follow(upgradeId, Duration.ofMillis(500), timeout, onChange);
    }

    /** The nodes registered in the product database by the product's node gate ('uplift nodes'); changes nothing. */
    public NodeList nodes() {
        return new NodeRegistry(Installation.open(home)).list();
    }

    /** Removes the row of a gone (silent) node from the registry ('uplift nodes forget ID'); refuses a node that is alive. */
    public ForgottenNode forgetNode(String nodeId) {
        return new NodeForgetting(Installation.open(home)).forget(nodeId);
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

    public PlanResult plan(UpgradeTarget target) {
        return new UpgradePreview(home, catalogs).plan(target);
    }

    public CheckReport check(UpgradeTarget target) {
        return new UpgradePreview(home, catalogs).check(target, backupDir);
    }

    /** Starts the database server Uplift manages for this installation; tells what it found. */
    public ServerState startDatabase() {
        return new ProductDatabase(Installation.open(home)).ensureRunning();
    }

    public ServerState stopDatabase() {
        return new ProductDatabase(Installation.open(home)).stop();
    }

    /** Upgrades to {@code target} under the journal; see {@link UpgradeEngine}. */
    public UpgradeResult upgrade(UpgradeTarget target, UpgradeListener listener) {
        return engine().upgrade(target.version(), listener);
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

    /**
     * The upgrade log (.uplift/upgrade.log: every step started, finished, skipped or undone and every
     * message of every upgrade, resume and rollback run on this home, from the command line or the
     * console) from {@code cursor} on (0: from the start), at most {@code max} lines.
     */
    public UpgradeLog upgradeLog(long cursor, int max) {
        return UpgradeLogFile.readIn(home.resolve(".uplift"), cursor, max);
    }

    /** The journal of the upgrade in progress, else of the last one that ended (from .uplift/history/); empty when none ran. */
    public Optional<JournalView> journal() {
        return JournalViews.read(home.resolve(".uplift"));
    }

    /** Whether maintenance mode is on (by an upgrade or by hand), since when and why; changes nothing. */
    public MaintenanceState maintenance() {
        return new ManualMaintenance(home).state();
    }

    /**
     * Turns maintenance mode on or off by the operator's hand, outside an upgrade. Refused (LOCKED, exit 15)
     * while an upgrade holds the home: the upgrade owns maintenance mode then.
     */
    public MaintenanceState maintenance(boolean on, String reason) {
        return new ManualMaintenance(home).set(on, reason);
    }

    /**
     * Writes a support bundle (zip) to {@code out}: status, the journal and its history, the upgrade log,
     * the checks and plan towards {@code target} when given, the agents' status; never a secret (no file
     * of config/, no password, no key, no token).
     */
    public SupportBundle writeSupportBundle(Optional<UpgradeTarget> target, java.io.OutputStream out) throws java.io.IOException {
        return new SupportBundleWriter(home, clock).write(new BundleReports(this::status, target.map(t -> () -> plan(t)),
                target.map(t -> () -> check(t))), out);
    }

    /** Only the upgrade part of {@link #status()} (running, interrupted or none, and the last progress): cheap enough to poll. */
    public StatusResult.Upgrade upgradeState() {
        return new StatusReport(home, catalogs, clock).upgradeOnly();
    }

    /** The versions of the installation's catalog, oldest first. */
    public List<String> catalogVersions() {
        return catalogs.of(home).versions();
    }

    public List<PendingTask> pendingTasks() {
        return tasks().pending();
    }

    public List<ObsoleteDependency> obsoleteDependencies() {
        return tasks().obsoleteDependencies();
    }

    public List<TaskOutcome> runTasks(Optional<String> only) {
        return tasks().runAutomatic(only);
    }

    public TaskOutcome taskDone(String id) {
        return tasks().done(id);
    }

    public List<CleanupItem> cleanup() throws java.io.IOException {
        return new Cleanup(home, catalogs.of(home)).run();
    }

    private PostUpgradeTasks tasks() {
        return new PostUpgradeTasks(home, catalogs.of(home));
    }

    private UpgradeEngine engine() {
        return new EngineLoader(home, catalogs, backupDir, backupDirGiven, clock, pauseRequested, holdAt, acceptKeysetMismatch).load();
    }

    /** 'uplift dr refresh --from PRIMARY_HOME': this (DR) home gets the primary's data and release; see {@link DrRefresh}. */
    public DrRefreshResult drRefresh(String from, ProgressListener progress, Consumer<String> phases) {
        return drRefresh(from, Optional.empty(), progress, phases);
    }

    /**
     * 'uplift dr refresh --from PRIMARY_HOME_OR_URL [--password-file FILE]': with a URL (the primary's
     * database), its password comes from {@code passwordFile}, PGPASSWORD or ~/.pgpass, never from the URL.
     */
    public DrRefreshResult drRefresh(String from, Optional<Path> passwordFile, ProgressListener progress, Consumer<String> phases) {
        Path drBackups = backupDirGiven ? backupDir : home.resolve(".uplift").resolve("dr-backups");
        return new DrRefresh(home, catalogs, drBackups, clock, this::engine).refresh(from, passwordFile, progress, phases);
    }

    /** Takes a verified backup now ('uplift backup'); see {@link ManualBackup}. */
    public BackupResult backup(BackupSettings settings, ProgressListener progress) {
        return new ManualBackup(home, backupDir, clock).take(settings, progress);
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

    /**
     * Adds a node to this engine's (demo) installation, as a vendor's installer joins a server to a
     * cluster: a new empty home with the installed release from the catalog, the same database and
     * keyset, its own port; its Lockbox is not started.
     */
    public JoinedNode demoJoinNode(Path newHome) {
        return new ClusterNodeJoin(home, newHome, catalogs).join();
    }

    /** Starts the product's services with product.yaml's start command, which returns once they answer. */
    public void startServices() {
        services().start();
    }

    /** Stops the product's services with product.yaml's stop command. */
    public void stopServices() {
        services().stop();
    }

    private ProductServices services() {
        return new ProductServices(home, catalogs.of(home).product().services(), "run the command again");
    }

    /** For the demo, once Lockbox serves: its address and an app token for its users (in a file beside the home). */
    public DemoService demoService() {
        return DemoLoad.tokenFor(home);
    }

    /** Starts the load generator against the demo's Lockbox; {@link LoadRun#finish()} ends it and reports. */
    public LoadRun startDemoLoad(DemoService service) {
        return DemoLoad.start(home, service, DemoSettings.loadGenerator());
    }

    /** Removes the demo installation in this engine's home and its master key; its server must be stopped. */
    public void removeDemo() throws java.io.IOException {
        DemoPreparer.removeDemo(home);
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

    private Catalog catalog(Installation inst) {
        return catalogs.of(inst);
    }

    // The database verbs ('uplift db move', 'uplift db import'). They work between any two PostgreSQL
    // databases, with no installation: static, so that no caller has to invent a home to reach them.

    /** Reads a connection string given after {@code flag} and finds its password, once (see {@link Database}). */
    public static Database resolveDatabase(String flag, String connection, Optional<Path> passwordFile,
            java.util.function.Consumer<String> warnings) {
        return MoveVerbs.resolve(flag, connection, passwordFile, warnings);
    }

    /** As {@link #resolveDatabase(String, String, Optional, java.util.function.Consumer)}, but never asks on the terminal (the console). */
    public static Database resolveDatabaseWithoutAsking(String flag, String connection, Optional<Path> passwordFile,
            java.util.function.Consumer<String> warnings) {
        return MoveVerbs.resolve(flag, connection, passwordFile, warnings, false);
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
