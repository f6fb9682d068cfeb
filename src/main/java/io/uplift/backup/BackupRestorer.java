package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.PgTools;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Puts an installation's database or one of its folders back as a backup holds it: the restores the
 * upgrade engine's rollback uses. Each is safe to call again after an interruption.
 */
final class BackupRestorer {
    private final BackupStore store;
    private final PgTools tools;

    BackupRestorer(BackupStore store, PgTools tools) {
        this.store = store;
        this.tools = tools;
    }

    /** A dump into the database (see {@link DatabaseRestore}), after checking the dump's checksum. */
    void restoreDatabase(String id, DatabaseSettings db) {
        BackupManifest m = store.manifest(id);
        if (m.isDataFolderCopy()) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "The backup " + id + " holds a copy of the data folder " + m.dataFolder()
                    + ", not a dump: it is restored into the server Uplift manages (as 'uplift rollback' does), not into " + db.url() + ".");
        }
        Path dump = store.folder(id).resolve(m.dump().path());
        String sha;
        try {
            sha = TreeCopy.hash(dump, n -> { });
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Cannot read the dump " + dump + " of backup " + id + ": " + e.getMessage()
                    + ". The database was not touched. Restore from another backup ('uplift backup --list').", e);
        }
        if (!sha.equals(m.dump().sha256())) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "The dump " + dump + " of backup " + id + " is damaged: SHA-256 " + sha
                    + ", the manifest says " + m.dump().sha256() + ". The database was not touched. Restore from another backup.");
        }
        DatabaseRestore.restore(tools, dump, db);
    }

    /** A dump as above; a data-folder copy back into the managed server's folder (see {@link DataFolderRestore}). */
    void restoreDatabase(String id, Installation inst) {
        BackupManifest m = store.manifest(id);
        if (m.isDataFolderCopy()) {
            DataFolderRestore.restore(store.folder(id), m, inst);
        } else {
            restoreDatabase(id, inst.databaseSettings());
        }
    }

    /** {@code home/name} (app, config or data), see {@link FolderRestore}. */
    void restoreFolder(String id, String name, Path home) {
        FolderRestore.restore(store.folder(id), store.manifest(id), name, home.toAbsolutePath().normalize());
    }
}
