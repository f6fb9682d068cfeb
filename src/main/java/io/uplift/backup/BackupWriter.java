package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.api.BackupManifest.Entry;
import io.uplift.db.PgServer;
import io.uplift.db.PgTools;
import io.uplift.api.ProgressListener;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.journal.DiskFull;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Writes one backup: the database (a dump, or a copy of the managed server's data folder), app/,
 * config/ and data/, then the manifest, all into {@code ID.partial}, which becomes {@code ID} in one
 * atomic rename. On any failure the partial folder is removed, so nothing half written is left
 * under a backup id (see {@link BackupStore}).
 */
final class BackupWriter {
    static final List<String> FOLDERS = List.of("app", "config", "data");

    /**
     * What a backup saves, as measured before writing.
     *
     * @param dataFolder the managed server whose data folder is copied; empty: the database is dumped
     */
    record Source(Installation inst, DatabaseSettings db, DatabaseDump.Server server, Optional<PgServer> dataFolder,
            KeysetPair keysets, long databaseBytes, long fileBytes) {
        long estimate() {
            return databaseBytes + fileBytes;
        }
    }

    private final BackupStore store;
    private final PgTools tools;
    private final BackupRoom room;

    BackupWriter(BackupStore store, PgTools tools, BackupRoom room) {
        this.store = store;
        this.tools = tools;
        this.room = room;
    }

    /** @param freeBefore the free bytes the room check found, to say how far the backup got if the disk fills */
    BackupManifest write(String id, Instant started, Source source, long freeBefore, ProgressListener progress) {
        Path partial = store.root().resolve(id + BackupStore.PARTIAL);
        try {
            createOwnerOnly(store.root());
            Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            store.claim(partial);
            BackupManifest manifest = writeInto(partial, id, started, source, progress);
            Files.move(partial, store.root().resolve(id), StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.forceDirectory(store.root());
            return manifest;
        } catch (IOException | RuntimeException e) {
            // Measured before the partial folder goes: its removal gives the space back.
            UpliftException diskFull = DiskFull.is(e) ? room.diskFull(e, source.estimate(), freeBefore) : null;
            deleteQuietly(partial);
            if (diskFull != null) {
                throw diskFull;
            }
            if (e instanceof UpliftException u) {
                throw u;
            }
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Writing the backup " + partial + " failed: " + e
                    + ". It was removed; nothing of the installation was changed. Fix the cause and run the backup again.", e);
        }
    }

    private BackupManifest writeInto(Path partial, String id, Instant started, Source source, ProgressListener progress) throws IOException {
        Installation inst = source.inst();
        DatabaseDump.Server server = source.server();
        Optional<PgServer> folderOf = source.dataFolder();
        long dbTotal = folderOf.isPresent() ? source.databaseBytes() : server.totalTableBytes();
        long total = dbTotal + source.fileBytes();
        progress.progress(0, total);
        long[] copied = {0};
        LongConsumer advance = n -> {
            copied[0] += n;
            progress.progress(Math.min(copied[0], total), total);
        };
        Entry dump = null;
        List<Entry> databaseFiles = null;
        Map<String, Long> rows = null;
        if (folderOf.isPresent()) {
            databaseFiles = DataFolderCopy.copy(folderOf.get(), partial, advance);
        } else {
            Path dumpFile = partial.resolve(BackupManifest.DUMP_FILE);
            DatabaseDump.dump(tools, source.db(), server, dumpFile, done -> progress.progress(Math.min(done, dbTotal), total));
            dump = new Entry(BackupManifest.DUMP_FILE, "file", Files.size(dumpFile), TreeCopy.hash(dumpFile, n -> { }),
                    "rw-------", null, null, null);
        }
        copied[0] = dbTotal;
        List<Entry> files = new ArrayList<>();
        for (String folder : FOLDERS) {
            files.addAll(TreeCopy.copy(inst.home(), folder, partial, advance));
        }
        if (folderOf.isPresent()) {
            // After the folders: the throwaway server is reached with the backed-up config/database.properties.
            rows = ThrowawayServer.countRows(partial, databaseFiles, server.major(), folderOf.get().user().name(), server.databaseName(),
                    folderOf.get().dataDir());
        }
        progress.progress(total, total);
        KeysetPair keysets = source.keysets();
        BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, id, inst.home().toString(), started.toString(),
                inst.state().product(), inst.state().version(), server.schemaVersion(), server.major(), server.version(),
                server.databaseName(), dump == null ? null : tools.version(), dump, files, keysets.file().orElse(null),
                keysets.database().orElse(null), folderOf.isPresent() ? BackupManifest.DATA_FOLDER : BackupManifest.DUMP,
                folderOf.map(p -> p.dataDir().toString()).orElse(null), folderOf.map(p -> p.user().name()).orElse(null),
                databaseFiles, rows);
        // The claim goes before the manifest: a complete backup holds nothing the manifest does not list.
        Files.delete(partial.resolve(BackupStore.IN_PROGRESS));
        store.writeManifest(partial, manifest);
        return manifest;
    }

    // Backups hold the database password and the keyset: readable by their owner only.
    private static void createOwnerOnly(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            BackupStore.deleteTree(dir);
        } catch (IOException e) {
            // An abandoned .partial is removed by the next backup.
        }
    }
}
