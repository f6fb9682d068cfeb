package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.api.BackupManifest.Entry;
import io.uplift.db.PgServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The database part of a backup of a server Uplift manages, taken without client tools: the server
 * is stopped (a fast shutdown ends with a checkpoint, so the data folder alone is a consistent
 * cluster, no WAL archive needed), its data folder is copied as files, and it is started again.
 *
 * <p>Why not pg_dump: after a database move the managed server is newer than the machine's pg_dump
 * (PostgreSQL 16 against Debian 12's 15), which cannot dump it. Why not the online base-backup API:
 * it needs a superuser or replication connection, and Uplift keeps no superuser password for the
 * servers it manages. The price is that the database is down while its folder is copied; during an
 * upgrade the product is in maintenance anyway.
 */
final class DataFolderCopy {
    private DataFolderCopy() {}

    /** Copies the server's data folder to {@code backup/database}; the server runs again afterwards if it ran before. */
    static List<Entry> copy(PgServer server, Path backup, LongConsumer bytesCopied) throws IOException {
        boolean wasRunning = server.isRunning();
        server.stop();
        Throwable failure = null;
        try {
            Path dataDir = server.dataDir();
            return TreeCopy.copy(dataDir.getParent(), dataDir.getFileName().toString(), BackupManifest.DATABASE_FOLDER, backup,
                    bytesCopied, TreeCopy.BeforeOpen.NONE);
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            if (wasRunning) {
                restart(server, failure);
            }
        }
    }

    private static void restart(PgServer server, Throwable failure) {
        try {
            server.start();
        } catch (UpliftException e) {
            if (failure != null) {
                failure.addSuppressed(e);
                return;
            }
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "The data folder of " + server + " was copied, but the server did not"
                    + " start again: " + e.getMessage() + " Start it with 'uplift db start' once the cause is fixed.", e);
        }
    }
}
