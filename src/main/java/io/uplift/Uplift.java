package io.uplift;

import io.uplift.api.BackupManifest;
import io.uplift.api.BackupResult;
import io.uplift.api.BackupSettings;
import io.uplift.api.CheckReport;
import io.uplift.api.CleanupItem;
import io.uplift.api.DemoResult;
import io.uplift.api.DemoSettings;
import io.uplift.api.ErrorCode;
import io.uplift.api.KeyRetirementResult;
import io.uplift.api.KeyRotationResult;
import io.uplift.api.KeysStatus;
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
import io.uplift.catalog.Release;
import io.uplift.catalog.ReleaseChecksums;
import io.uplift.catalog.Version;
import io.uplift.check.UpgradePreview;
import io.uplift.db.Jdbc;
import io.uplift.db.PgTools;
import io.uplift.dbmove.ChunkCopier;
import io.uplift.dbmove.DatabaseMove;
import io.uplift.dbmove.MoveListener;
import io.uplift.dbmove.MoveResult;
import io.uplift.dbmove.MoveSettings;
import io.uplift.demo.DemoPreparer;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationCatalog;
import io.uplift.install.NodeLocalFiles;
import io.uplift.install.ProductDatabase;
import io.uplift.journal.HomeLock;
import io.uplift.keys.Connections;
import io.uplift.keys.InstallationKeyset;
import io.uplift.keys.Grace;
import io.uplift.keys.KeyEnvironment;
import io.uplift.keys.KeyInventory;
import io.uplift.keys.KeyRetirement;
import io.uplift.keys.KeyRotation;
import io.uplift.keys.KeysetConsistency;
import io.uplift.keys.KeysetRecord;
import io.uplift.keys.MasterKeySource;
import io.uplift.keys.Reencryption;
import io.uplift.keys.RotatableColumns;
import io.uplift.keys.RotationListener;
import io.uplift.keys.RotationState;
import io.uplift.keys.tokens.InstallationTokens;
import io.uplift.keys.tokens.ReissuedToken;
import io.uplift.keys.tokens.RevokedTokens;
import io.uplift.keys.tokens.TokenList;
import io.uplift.upgrade.ChangeLock;
import io.uplift.upgrade.Cleanup;
import io.uplift.upgrade.DatabaseLock;
import io.uplift.upgrade.EngineLoader;
import io.uplift.upgrade.PostUpgradeTasks;
import io.uplift.upgrade.StatusReport;
import io.uplift.upgrade.UpgradeEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one entry point of Uplift. {@code Uplift.configure().home(dir)...load()} validates every
 * setting once and returns an immutable engine; the CLI and the console call only its verbs.
 * A verb only delegates to the domain class that does the work (StatusReport, UpgradePreview,
 * EngineLoader, ManualBackup...) and speaks in the types of {@code io.uplift.api}.
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

    public StatusResult status() {
        return new StatusReport(home, catalogs, clock).read(this::tokenSummary, this::keyState);
    }

    /** Deprecated app tokens for status and the upgrade summary; null when the product declares none. */
    public StatusResult.Tokens tokenSummary() {
        Installation inst = Installation.open(home);
        return tokenSummary(inst, true);
    }

    private StatusResult.Tokens tokenSummary(Installation inst, boolean reachable) {
        InstallationTokens tokens;
        try {
            tokens = new InstallationTokens(inst, catalog(inst));
        } catch (UpliftException e) {
            return null; // status works with a broken catalog too
        }
        if (!tokens.declared()) {
            return null;
        }
        List<String> formats = List.copyOf(tokens.deprecatedFormats());
        String current = tokens.currentFormat().orElse("");
        String command = "uplift tokens list --deprecated --home " + home;
        if (!reachable) {
            return new StatusResult.Tokens(-1, formats, current, command, "the database is not reachable");
        }
        try {
            return new StatusResult.Tokens(tokens.deprecatedCount(), formats, current, command, "");
        } catch (UpliftException e) {
            return new StatusResult.Tokens(-1, formats, current, command, e.getMessage());
        }
    }

    /** The app tokens of the installation ('uplift tokens list'). */
    public TokenList tokens(boolean deprecatedOnly) {
        return installationTokens().list(deprecatedOnly);
    }

    /** Re-issues a deprecated app token in the current format; the result holds the only copy of the token. */
    public ReissuedToken reissueToken(String name) {
        return installationTokens().reissue(name);
    }

    public RevokedTokens revokeToken(String name, Optional<String> format, boolean evenIfLast) {
        return installationTokens().revoke(name, format, evenIfLast);
    }

    private InstallationTokens installationTokens() {
        Installation inst = Installation.open(home);
        return new InstallationTokens(inst, catalog(inst));
    }

    private StatusResult.Keys keyState() {
        try {
            RotationState s = RotationState.read(home);
            return new StatusResult.Keys(s.inProgress().map(r -> "unfinished (new primary key " + r.newPrimaryKeyId()
                    + "): run 'uplift keys rotate' to finish it").orElse("none"),
                    s.retiring().stream().map(r -> new KeyRotationResult.RetiringKey(r.keyId(), r.until())).toList());
        } catch (UpliftException e) {
            return new StatusResult.Keys(e.getMessage(), List.of()); // status must work with a damaged state file too
        }
    }

    public PlanResult plan(UpgradeTarget target) {
        return new UpgradePreview(home, catalogs).plan(target);
    }

    public CheckReport check(UpgradeTarget target) {
        return new UpgradePreview(home, catalogs).check(target, backupDir);
    }

    /** Starts the database server Uplift manages for this installation; tells what it found. */
    public ProductDatabase.ServerState startDatabase() {
        return new ProductDatabase(Installation.open(home)).ensureRunning();
    }

    public ProductDatabase.ServerState stopDatabase() {
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

    /** Moves a database to another server (see {@link DatabaseMove}); needs no installation. */
    public MoveResult moveDatabase(MoveSettings settings, MoveListener listener) {
        return new DatabaseMove(settings, listener, ChunkCopier.Tee.NONE).run();
    }

    /** Only compares source and target of an earlier move: counts, checksums, schema. */
    public List<String> validateMove(MoveSettings settings) {
        return new DatabaseMove(settings, MoveListener.NONE, ChunkCopier.Tee.NONE).validateOnly();
    }

    /** Creates the demo installation (Lockbox 1.0 with generated data) in this engine's home. */
    public DemoResult prepareDemo(DemoSettings settings, ProgressListener progress) {
        return new DemoPreparer(home, settings).prepare(progress);
    }

    /** Removes the demo installation in this engine's home and its master key; its server must be stopped. */
    public void removeDemo() throws java.io.IOException {
        DemoPreparer.removeDemo(home);
    }

    /** The keys of the keyset, their state and the values under each ('uplift keys status'); changes nothing. */
    public KeysStatus keysStatus() {
        Installation inst = Installation.open(home);
        new ProductDatabase(inst).ensureRunning();
        return new KeyInventory(home, installedRelease(inst).encryptedColumns(), keyConnections(inst)).status();
    }

    /**
     * Refuses, before any question is asked, what would make 'uplift keys rotate' or 'keys retire'
     * fail at once: the lock held, an upgrade under way, a catalog without usable encrypted columns.
     */
    public void checkKeyChange(String command) {
        Installation inst = Installation.open(home);
        HomeLock.holder(inst.lockFile()).ifPresent(holder -> {
            throw new UpliftException(ErrorCode.LOCKED, "Another Uplift command is working on this installation: " + holder
                    + ". Wait for it to finish ('" + command + "' refuses to run beside it); the lock frees itself if that process dies.");
        });
        refuseUpgradeInProgress(inst, command);
        RotatableColumns.of(installedRelease(inst));
    }

    /**
     * Refuses, before any question is asked, what 'tasks run', 'tasks done', 'cleanup' or 'keys
     * protect' would refuse once they take the lock: another command running, an upgrade unfinished.
     */
    public void checkChange(String command) {
        ChangeLock.check(Installation.open(home), command);
    }

    /**
     * 'uplift keys rotate': a new primary key, every encrypted value re-encrypted under it and
     * verified, the old keys retiring after {@code grace} (default {@link Grace#DEFAULT}); an
     * interrupted rotation goes on with its key. See {@link KeyRotation}.
     */
    public KeyRotationResult rotateKeys(Optional<Duration> grace, int threads, RotationListener listener) {
        Installation inst = Installation.open(home);
        try (HomeLock lock = HomeLock.acquire(inst.lockFile(), "uplift keys rotate")) {
            refuseUpgradeInProgress(inst, "uplift keys rotate");
            var columns = RotatableColumns.of(installedRelease(inst));
            new ProductDatabase(inst).ensureRunning();
            try (DatabaseLock dbLock = DatabaseLock.acquire(inst.databaseSettings())) {
                return new KeyRotation(home, columns, keyConnections(inst), clock, threads, Reencryption.DEFAULT_BATCH_ROWS)
                        .rotate(grace, listener);
            }
        }
    }

    /** The retiring keys 'uplift keys retire' would disable now (all of them with {@code now}). */
    public List<Long> keysDueForRetirement(boolean now) {
        Installation inst = Installation.open(home);
        return new KeyRetirement(home, installedRelease(inst).encryptedColumns(), keyConnections(inst), clock).due(now);
    }

    /** 'uplift keys retire': disables the retiring keys whose grace has passed and that no value is under. */
    public KeyRetirementResult retireKeys(boolean now) {
        Installation inst = Installation.open(home);
        try (HomeLock lock = HomeLock.acquire(inst.lockFile(), "uplift keys retire")) {
            refuseUpgradeInProgress(inst, "uplift keys retire");
            var columns = RotatableColumns.of(installedRelease(inst));
            new ProductDatabase(inst).ensureRunning();
            return new KeyRetirement(home, columns, keyConnections(inst), clock).retire(now);
        }
    }

    private static void refuseUpgradeInProgress(Installation inst, String command) {
        if (Files.exists(inst.journalFile())) {
            throw new UpliftException(ErrorCode.LOCKED, "An upgrade is under way or was interrupted (" + inst.journalFile() + "), and '"
                    + command + "' would change the keyset under it. Finish it with 'uplift resume' or undo it with 'uplift rollback'"
                    + " first; nothing was changed.");
        }
    }

    private Release installedRelease(Installation inst) {
        Catalog catalog = catalog(inst);
        return catalog.release(Version.parse(inst.state().version())).orElseThrow(() -> new UpliftException(ErrorCode.CATALOG_INVALID,
                "The catalog " + catalog.folder() + " has no release " + inst.state().version() + ", the installed version, so the"
                        + " encrypted columns are unknown. Pass the vendor's catalog with --catalog DIR."));
    }

    private static Connections keyConnections(Installation inst) {
        DatabaseSettings db = inst.databaseSettings();
        return () -> Jdbc.connect(db.url(), db.user(), db.password());
    }

    private Catalog catalog(Installation inst) {
        return catalogs.of(inst);
    }

    /** What 'uplift keys protect' did. */
    public record KeysetProtection(Path file, String fingerprint, long primaryKeyId, boolean recorded) {}

    /**
     * Seals the home's keyset with {@code target} ('uplift keys protect'), under the home lock. The
     * database must record this keyset's fingerprint or none (then it is recorded): a keyset of
     * another installation is refused before anything is written.
     */
    public KeysetProtection protectKeyset(MasterKeySource target, KeyEnvironment env) {
        Installation inst = Installation.open(home);
        new ProductDatabase(inst).ensureRunning();
        try (HomeLock lock = ChangeLock.take(inst, "uplift keys protect");
             java.sql.Connection conn = io.uplift.db.Jdbc.connect(inst.databaseSettings().url(), inst.databaseSettings().user(),
                     inst.databaseSettings().password())) {
            Path file = home.resolve(KeysetConsistency.KEYSET);
            Optional<KeysetRecord> recorded = KeysetRecord.read(conn);
            InstallationKeyset current = InstallationKeyset.protectPreview(file, env);
            if (recorded.isPresent() && !recorded.get().fingerprint().equals(current.fingerprint())) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, KeysetConsistency.mismatchOf(file, current, recorded.get())
                        + " Nothing was changed.");
            }
            InstallationKeyset sealed = InstallationKeyset.protect(file, target, env);
            // Uplift's own change: the recorded hash of the node-local file follows, so the next check does not flag it.
            var s = inst.state();
            if (s.nodeLocalFiles().containsKey(KeysetConsistency.KEYSET)) {
                Installation.record(home, new io.uplift.install.InstallationState(s.product(), s.version(), s.catalog(), s.serviceAccount(),
                        NodeLocalFiles.fingerprint(home, List.copyOf(s.nodeLocalFiles().keySet())), s.managedDatabase(), s.pendingTasks()));
            }
            if (recorded.isEmpty()) {
                KeysetRecord.write(conn, sealed.fingerprint(), sealed.primaryKeyId(), home);
            }
            return new KeysetProtection(file, sealed.fingerprint(), sealed.primaryKeyId(), recorded.isEmpty());
        } catch (java.sql.SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot read or record the keyset fingerprint in the database: "
                    + e.getMessage() + ". Nothing was changed.", e);
        }
    }
}
