package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.Installation;
import io.uplift.install.ManagedDatabase;
import io.uplift.install.ProductDatabase;
import java.nio.file.Path;

/**
 * Puts a data-folder copy back: copy it beside the live folder (checked against the manifest's SHA-256,
 * see {@link FolderRestore}), stop the managed server, swap the folders, start it. Each part can be repeated, so a call after an interruption finishes the job.
 */
final class DataFolderRestore {
    private DataFolderRestore() {}

    static void restore(Path backupFolder, BackupManifest m, Installation inst) {
        ManagedDatabase managed = inst.state().managedDatabase();
        Path live = Path.of(m.dataFolder()).toAbsolutePath().normalize();
        if (managed == null || managed.major() != m.databaseServerMajor()
                || !Path.of(managed.dataDir()).toAbsolutePath().normalize().equals(live)) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "The backup " + m.id() + " holds the data folder of the PostgreSQL "
                    + m.databaseServerMajor() + " server in " + live + ", but " + inst.home() + " now uses "
                    + (managed == null ? "a server Uplift does not manage" : "the PostgreSQL " + managed.major() + " server in " + managed.dataDir())
                    + ". The database was not touched. Restore from a backup of the server in use ('uplift backup --list').");
        }
        ProductDatabase database = new ProductDatabase(inst);
        // Stopped only once the copy is complete and verified: a damaged backup leaves the server running untouched.
        FolderRestore.restoreTree(backupFolder, m.databaseFiles(), BackupManifest.DATABASE_FOLDER, live, () -> database.stopServer(managed));
        database.ensureRunning();
    }
}
