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
import io.uplift.backup.ManualBackup;
import io.uplift.catalog.Version;
import io.uplift.db.PgTools;
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
 * 'uplift dr refresh --from PRIMARY_HOME': brings a disaster-recovery site (its own home and database
 * server, installed with the primary's keyset) to the primary's data and release.
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
     * @param from     the primary's node-1 home; only a local path works (a URL is refused)
     * @param progress told the backup's progress
     * @param phases   told each phase as it starts, one line each
     */
    public DrRefreshResult refresh(String from, ProgressListener progress, Consumer<String> phases) {
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

        boolean servicesRan;
        DrDatabase.Figures figures;
        ProductServices services = new ProductServices(drHome, sites.drCatalog().product().services(),
                "run 'uplift dr refresh' again");
        try (HomeLock lock = HomeLock.acquire(sites.dr().lockFile(), "uplift dr refresh")) {
            Installation dr = Installation.open(drHome);
            if (Files.exists(dr.journalFile())) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "An upgrade started in the DR site " + drHome
                        + " while the primary was backed up (" + dr.journalFile() + "): finish it ('uplift resume') and refresh again."
                        + " The DR site was not touched; the backup " + id + " stays in " + backupDir + ".");
            }
            // As the upgrade does: a product that declares no status command is taken as running, and stopped.
            servicesRan = services.running();
            if (servicesRan) {
                phases.accept("Stopping the DR site's services");
                services.stop();
            }
            new ProductDatabase(dr).ensureRunning();
            phases.accept("Restoring the primary's database into " + dr.databaseSettings().url() + " (PostgreSQL "
                    + sites.primaryServerMajor() + " -> " + sites.drServerMajor() + ")");
            backups.restoreDatabase(id, dr.databaseSettings());
            figures = DrDatabase.figures(dr.databaseSettings());
        }

        // The node upgrade takes the DR home's lock itself. Its services are stopped meanwhile: should
        // anything below fail, they stay stopped, as they must next to a database its program files do not fit.
        boolean updated = sites.drVersion().isOlderThan(sites.primaryVersion());
        if (updated) {
            phases.accept("Bringing the DR site's program files from " + sites.drVersion() + " to " + sites.primaryVersion());
            UpgradeResult node = drEngine.get().upgradeNode(sites.primaryVersion().toString(), UpgradeListener.NONE);
            if (node.outcome() != UpgradeResult.Outcome.DONE && node.outcome() != UpgradeResult.Outcome.NOTHING_TO_DO) {
                throw new UpliftException(ErrorCode.UPGRADE_FAILED, "The DR site's database holds the primary's data, but its program files"
                        + " stopped at " + node.installed() + " (" + node.outcome() + "): run 'uplift resume --home " + drHome + "'. "
                        + node.message());
            }
        }
        DrDatabase.requireVersion(Installation.open(drHome), sites.primaryVersion());
        if (servicesRan) {
            phases.accept("Starting the DR site's services again");
            services.start();
        }
        return new DrRefreshResult(sites.primary().home().toString(), drHome.toString(), sites.drVersion().toString(),
                sites.primaryVersion().toString(), id, backup.folder().toString(), sites.primaryServerMajor(), sites.drServerMajor(),
                figures.rows(), backup.manifest().dump().size(), figures.bytes(), updated, servicesRan,
                Duration.ofNanos(System.nanoTime() - t0).toMillis());
    }

    /** Only a local home today: a URL would need an agent on the primary to take and ship the backup. */
    private static Path primaryHome(String from) {
        if (from == null || from.isBlank()) {
            throw new UpliftException(ErrorCode.USAGE, "--from is missing: pass the primary site's node-1 home, e.g. --from /opt/lockbox.");
        }
        if (from.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new UpliftException(ErrorCode.USAGE, "--from " + from.substring(0, from.indexOf("://")) + "://... is a URL;"
                    + " only a home path works today: pass the primary site's node-1 home folder as mounted on this machine"
                    + " (e.g. --from /mnt/primary/opt/lockbox). Nothing was changed.");
        }
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
