package io.uplift.upgrade;

import io.uplift.api.BackupManifest;
import io.uplift.api.BackupResult;
import io.uplift.api.BackupSettings;
import io.uplift.api.DrRefreshResult;
import io.uplift.api.ErrorCode;
import io.uplift.api.ProgressListener;
import io.uplift.api.UpgradeListener;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpliftException;
import io.uplift.api.VerifyResult;
import io.uplift.backup.Backups;
import io.uplift.backup.DatabaseCopy;
import io.uplift.catalog.Catalog;
import io.uplift.backup.ManualBackup;
import io.uplift.catalog.Version;
import io.uplift.db.PgTools;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationCatalog;
import io.uplift.install.ProductDatabase;
import io.uplift.journal.HomeLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * 'uplift dr refresh --from PRIMARY_HOME_OR_URL': brings a disaster-recovery site (its own home and
 * database server, installed with the primary's keyset) to the primary's data and release. The primary
 * is its node-1 home (mounted here), or, for a DR site on another machine, its database's URL
 * ({@link DrPrimaryUrl}): then a dump of that database takes the backup's place, and what the checks
 * need of the primary is read from its database ({@link DrUrlSites}).
 *
 * <ol>
 * <li>Every refusal first ({@link DrSites}): nothing is touched when one applies.</li>
 * <li>A verified backup of the primary, in the DR site's backup folder, under the primary's home lock
 *     (no upgrade of the primary starts meanwhile).</li>
 * <li>Under the DR home's lock: its services stopped if they ran, the backup's dump restored into its
 *     database (which is emptied of the product's objects first, see Backups.restoreDatabase).</li>
 * <li>Its program files brought to the primary's release by the engine's node-only plan: staged from
 *     the catalog with their checksum and swapped, the version recorded in .uplift/state.json only;
 *     the database's record came with the restored data. Node-local files (config/) are never written.</li>
 * <li>Its services started again if they ran before.</li>
 * </ol>
 * A refresh that fails after the restore leaves the DR site's program files as they were, or an
 * interrupted node upgrade that 'uplift resume' finishes; running the refresh again restores again.
 */
public final class DrRefresh {
    private final Path drHome;
    private final InstallationCatalog catalogs;
    private final Path backupDir;
    private final Clock clock;
    private final Supplier<UpgradeEngine> drEngine;

    /**
     * @param backupDir where the primary's backups are written (the DR site's own folder, not the primary's)
     * @param drEngine  the upgrade engine of the DR home, built as the facade builds it
     */
    public DrRefresh(Path drHome, InstallationCatalog catalogs, Path backupDir, Clock clock, Supplier<UpgradeEngine> drEngine) {
        this.drHome = drHome;
        this.catalogs = catalogs;
        this.backupDir = backupDir;
        this.clock = clock;
        this.drEngine = drEngine;
    }

    /**
     * @param from         the primary's node-1 home, or its database's URL (see {@link DrPrimaryUrl})
     * @param passwordFile with a URL: the file holding the primary database's password
     * @param progress told the backup's progress
     * @param phases   told each phase as it starts, one line each
     */
    public DrRefreshResult refresh(String from, Optional<Path> passwordFile, ProgressListener progress, Consumer<String> phases) {
        if (from == null || from.isBlank()) {
            throw new UpliftException(ErrorCode.USAGE, "--from is missing: pass the primary site's node-1 home (e.g. --from /opt/lockbox)"
                    + " or its database (--from postgresql://USER@HOST:PORT/DATABASE).");
        }
        if (DrPrimaryUrl.looksLikeUrl(from)) {
            return refreshFromUrl(DrPrimaryUrl.parse(from, passwordFile, System.getenv()), progress, phases);
        }
        if (passwordFile.isPresent()) {
            throw new UpliftException(ErrorCode.USAGE, "--password-file goes with --from URL (the primary's database); with --from "
                    + from + " (a home) the password is in that home's config/database.properties. Drop --password-file. Nothing was changed.");
        }
        long t0 = System.nanoTime();
        Path primaryHome = primaryHome(from);
        PgTools tools = PgTools.locate(Optional.empty());
        phases.accept("Checking the primary " + primaryHome + " and the DR site " + drHome);
        DrSites sites = DrSites.inspect(drHome, primaryHome, catalogs, tools);

        phases.accept("Backing up the primary (" + sites.primary().state().product() + " " + sites.primaryVersion() + ") into " + backupDir);
        BackupResult backup = new ManualBackup(sites.primary().home(), backupDir, clock)
                .take(new BackupSettings(Optional.empty(), BackupSettings.DEFAULT_KEEP, Set.of()), progress);
        String id = backup.manifest().id();
        if (!sites.primaryVersion().equals(Version.parse(backup.manifest().version()))) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The primary " + sites.primary().home() + " changed release while it"
                    + " was checked (" + sites.primaryVersion() + ", now " + backup.manifest().version() + "): an upgrade ran meanwhile."
                    + " The DR site was not touched; run 'uplift dr refresh' again once the primary's upgrade is finished.");
        }
        Backups backups = new Backups(backupDir, tools);
        requireRestorable(backups, backup.manifest());
        // The check above compared the database's record; this one compares what the backup itself recorded.
        backups.requireKeysetMatches(id, drHome);

        Landing landed = restoreIntoDr(sites.drCatalog(), "the backup " + id + " stays in " + backupDir,
                "Restoring the primary's database into %s (PostgreSQL " + sites.primaryServerMajor() + " -> " + sites.drServerMajor() + ")",
                db -> backups.restoreDatabase(id, db), phases);
        boolean updated = bringProgramFiles(sites.drCatalog(), sites.drVersion(), sites.primaryVersion(), landed.servicesRan(), phases);
        return new DrRefreshResult(sites.primary().home().toString(), drHome.toString(), sites.drVersion().toString(),
                sites.primaryVersion().toString(), id, backup.folder().toString(), sites.primaryServerMajor(), sites.drServerMajor(),
                landed.figures().rows(), backup.manifest().dump().size(), landed.figures().bytes(), updated, landed.servicesRan(),
                Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }

    /**
     * The refresh from the primary's database URL: the same steps, with a dump of that database in
     * place of a backup of the primary's home (there is no home to back up from here).
     */
    private DrRefreshResult refreshFromUrl(DrPrimaryUrl primary, ProgressListener progress, Consumer<String> phases) {
        long t0 = System.nanoTime();
        PgTools tools = PgTools.locate(Optional.empty());
        phases.accept("Checking the primary's database " + primary + " and the DR site " + drHome);
        DrUrlSites sites = DrUrlSites.inspect(drHome, primary, catalogs, tools);
        DrUrlSites.PrimaryFacts before = sites.primaryFacts();

        phases.accept("Dumping the primary's database (" + before.product() + " " + before.version() + ") into " + backupDir);
        DrPrimaryDump dump = DrPrimaryDump.take(backupDir, clock, tools, primary, progress);
        DrUrlSites.PrimaryFacts after = DrUrlSites.readPrimary(primary, before.product());
        if (!after.version().equals(before.version()) || !after.keysetFingerprint().equals(before.keysetFingerprint())
                || after.maintenance()) {
            dump.delete();
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The primary's database " + primary + " changed while it was dumped"
                    + " (release " + before.version() + ", now " + after.version() + (after.maintenance() ? ", in maintenance mode" : "")
                    + "; or its keyset): an upgrade or a key rotation ran meanwhile. The DR site was not touched; run 'uplift dr"
                    + " refresh' again once it is finished.");
        }
        Landing landed = restoreIntoDr(sites.drCatalog(), "the dump " + dump.id() + " stays in " + backupDir,
                "Restoring the primary's database into %s (PostgreSQL " + before.serverMajor() + " -> " + sites.drServerMajor() + ")",
                db -> DatabaseCopy.restore(tools, dump.file(), db), phases);
        boolean updated = bringProgramFiles(sites.drCatalog(), sites.drVersion(), before.version(), landed.servicesRan(), phases);
        dump.deleteOlder();
        return new DrRefreshResult(primary.toString(), drHome.toString(), sites.drVersion().toString(), before.version().toString(),
                dump.id(), dump.folder().toString(), before.serverMajor(), sites.drServerMajor(), landed.figures().rows(), dump.bytes(),
                landed.figures().bytes(), updated, landed.servicesRan(), Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }

    /** What the restore left: whether the DR site's services ran (they are stopped now), and the restored database's figures. */
    private record Landing(boolean servicesRan, DrDatabase.Figures figures) {}

    /**
     * Under the DR home's lock: its services stopped if they ran, {@code restore} run into its database.
     *
     * @param kept      what stays of the primary's copy when this refuses, for the message
     * @param phaseLine the phase to announce, with %s for the DR database's URL
     */
    private Landing restoreIntoDr(Catalog drCatalog, String kept, String phaseLine, Consumer<DatabaseSettings> restore,
            Consumer<String> phases) {
        ProductServices services = new ProductServices(drHome, drCatalog.product().services(), "run 'uplift dr refresh' again");
        try (HomeLock lock = HomeLock.acquire(Installation.open(drHome).lockFile(), "uplift dr refresh")) {
            Installation dr = Installation.open(drHome);
            if (Files.exists(dr.journalFile())) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "An upgrade started in the DR site " + drHome
                        + " while the primary was copied (" + dr.journalFile() + "): finish it ('uplift resume') and refresh again."
                        + " The DR site was not touched; " + kept + ".");
            }
            // As the upgrade does: a product that declares no status command is taken as running, and stopped.
            boolean servicesRan = services.running();
            if (servicesRan) {
                phases.accept("Stopping the DR site's services");
                services.stop();
            }
            new ProductDatabase(dr).ensureRunning();
            phases.accept(String.format(phaseLine, dr.databaseSettings().url()));
            restore.accept(dr.databaseSettings());
            return new Landing(servicesRan, DrDatabase.figures(dr.databaseSettings()));
        }
    }

    /**
     * The DR site's program files brought to {@code target} (the node upgrade takes the DR home's lock
     * itself), the release checked in both its state and its database, its services started again if
     * they ran. Its services are stopped meanwhile: should anything here fail, they stay stopped, as
     * they must next to a database its program files do not fit.
     *
     * @return whether the program files changed
     */
    private boolean bringProgramFiles(Catalog drCatalog, Version drVersion, Version target, boolean servicesRan, Consumer<String> phases) {
        boolean updated = drVersion.isOlderThan(target);
        if (updated) {
            phases.accept("Bringing the DR site's program files from " + drVersion + " to " + target);
            UpgradeResult node = drEngine.get().upgradeNode(target.toString(), UpgradeListener.NONE);
            if (node.outcome() != UpgradeResult.Outcome.DONE && node.outcome() != UpgradeResult.Outcome.NOTHING_TO_DO) {
                throw new UpliftException(ErrorCode.UPGRADE_FAILED, "The DR site's database holds the primary's data, but its program files"
                        + " stopped at " + node.installed() + " (" + node.outcome() + "): run 'uplift resume --home " + drHome + "'. "
                        + node.message());
            }
        }
        DrDatabase.requireVersion(Installation.open(drHome), target);
        if (servicesRan) {
            phases.accept("Starting the DR site's services again");
            new ProductServices(drHome, drCatalog.product().services(), "run 'uplift dr refresh' again").start();
        }
        return updated;
    }

    private static Path primaryHome(String from) {
        return Path.of(from).toAbsolutePath().normalize();
    }

    private static void requireRestorable(Backups backups, BackupManifest manifest) {
        if (manifest.isDataFolderCopy()) {
            throw new UpliftException(ErrorCode.PG_TOOLS, "The backup " + manifest.id() + " of the primary is a copy of its server's data"
                    + " folder (the client tools could not dump it), which cannot be restored into the DR site's server. Install"
                    + " PostgreSQL client tools " + manifest.databaseServerMajor() + " or newer and refresh again. The DR site was not touched.");
        }
        VerifyResult verified = backups.verify(manifest.id());
        if (!verified.ok()) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "The backup " + manifest.id() + " of the primary does not verify: "
                    + verified.problems().stream().map(Object::toString).collect(Collectors.joining("; "))
                    + ". The DR site was not touched; check the disk of " + backups.root() + " and refresh again.");
        }
    }
}
