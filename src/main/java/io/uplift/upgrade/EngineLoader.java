package io.uplift.upgrade;

import io.uplift.api.UpliftException;
import io.uplift.backup.Backups;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.CatalogLoader;
import io.uplift.db.PgTools;
import io.uplift.install.Installation;
import io.uplift.install.InstallationCatalog;
import io.uplift.journal.Journal;
import io.uplift.journal.UpgradeJournal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Builds the engine for upgrade, resume and rollback. An upgrade in progress goes on with the catalog
 * and backup folder it started with (the journal names them), unless the operator names others.
 *
 * @param backupDirGiven whether the operator named the backup folder (else it is the default one)
 * @param pauseRequested set by a signal handler to stop after the current step
 * @param holdAt         fault knob of the crash tests ("STEP-ID:before|after")
 */
public record EngineLoader(Path home, InstallationCatalog catalogs, Path backupDir, boolean backupDirGiven, Clock clock,
        AtomicBoolean pauseRequested, Optional<String> holdAt, boolean acceptKeysetMismatch) {

    public UpgradeEngine load() {
        Installation inst = Installation.open(home);
        Optional<UpgradeJournal> journal = Optional.empty();
        try {
            journal = Journal.open(inst.journalFile(), clock).map(Journal::get);
        } catch (UpliftException e) {
            // The engine reports an unreadable journal itself, with the remedy.
        }
        Catalog catalog = !catalogs.overridden() && journal.map(UpgradeJournal::catalog).isPresent()
                ? CatalogLoader.load(Path.of(journal.get().catalog())) : catalogs.of(inst);
        Path backups = !backupDirGiven && journal.map(UpgradeJournal::backupDir).isPresent()
                ? Path.of(journal.get().backupDir()) : backupDir;
        return new UpgradeEngine(home, catalog, lazyBackups(backups), backups, clock, pauseRequested, holdAt, acceptKeysetMismatch);
    }

    /** The backup store, made only when a step first needs it: not every run takes or restores a backup. */
    private static Supplier<Backups> lazyBackups(Path folder) {
        return new Supplier<>() {
            private Backups made;

            @Override
            public synchronized Backups get() {
                if (made == null) {
                    made = new Backups(folder, PgTools.locate(Optional.empty()));
                }
                return made;
            }
        };
    }
}
