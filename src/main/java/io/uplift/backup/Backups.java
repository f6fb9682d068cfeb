package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.BackupResult;
import io.uplift.api.BackupSettings;
import io.uplift.api.VerifyResult;
import io.uplift.db.PgServer;
import io.uplift.db.PgTools;
import io.uplift.install.ProductDatabase;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.api.BackupManifest.Entry;
import io.uplift.api.ProgressListener;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.journal.DiskFull;
import io.uplift.journal.DurableFiles;
import io.uplift.keys.KeysetConsistency;
import io.uplift.keys.KeysetEnvelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Backups of installations in one backup folder: create (dump, copy, manifest, verify, retention),
 * verify, list, and the two restores the upgrade engine's rollback uses.
 *
 * <p>Nothing is written before the room check passes, and a backup becomes visible under its id
 * only once complete (see {@link BackupStore}).
 */
public final class Backups {
    /** The room a backup needs, over the database size plus the copied folders, for the dump's and copies' overhead. */
    static final double MARGIN = 1.2;
    static final List<String> FOLDERS = List.of("app", "config", "data");
    private static final long MB = 1024 * 1024;

    private final BackupStore store;
    private final PgTools tools;
    private final FreeSpace freeSpace;
    private final int keep;
    private final Clock clock;
    private final DatabaseCopy databaseCopy;

    /**
     * How the database is saved. AUTO: pg_dump, except for a server Uplift manages that the PG tools
     * cannot dump (newer than pg_dump, as after the demo's move to PostgreSQL 16): then a copy of its
     * data folder. pg_dump where it can, because it keeps the database up; the data folder where it
     * must, because it needs no client tools of the server's version. The others are for tests.
     */
    enum DatabaseCopy { AUTO, DUMP, DATA_FOLDER }

    public Backups(Path root, PgTools tools) {
        this(root, tools, FreeSpace.FILE_STORE, BackupSettings.DEFAULT_KEEP, Clock.systemUTC());
    }

    public Backups(Path root, PgTools tools, FreeSpace freeSpace, int keep, Clock clock) {
        this(root, tools, freeSpace, keep, clock, DatabaseCopy.AUTO);
    }

    Backups(Path root, PgTools tools, FreeSpace freeSpace, int keep, Clock clock, DatabaseCopy databaseCopy) {
        if (keep < 1) {
            throw new UpliftException(ErrorCode.USAGE, "--keep must be 1 or more, got " + keep + ".");
        }
        this.store = new BackupStore(root);
        this.tools = tools;
        this.freeSpace = freeSpace;
        this.keep = keep;
        this.clock = clock;
        this.databaseCopy = databaseCopy;
    }

    /** The retention rule, for --help. */
    public static String retentionRule() {
        return Retention.RULE;
    }

    /** Complete backups in {@code root}, newest first; needs no client tools. */
    public static List<BackupManifest> listIn(Path root) {
        return new BackupStore(root).list();
    }

    public Path root() {
        return store.root();
    }

    public Path folder(String id) {
        return store.folder(id);
    }

    public BackupResult create(Installation inst, ProgressListener progress) {
        return create(inst, progress, Set.of());
    }

    /**
     * Backs up the installation's database, app/, config/ and data/, verifies the backup, then
     * applies the retention rule without ever deleting the new backup or one in {@code protectedIds}.
     */
    public BackupResult create(Installation inst, ProgressListener progress, Set<String> protectedIds) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        DatabaseSettings db = inst.databaseSettings();
        DatabaseDump.Server server = DatabaseDump.inspect(db);
        Optional<PgServer> folderOf = dataFolderToCopy(inst, server.major());
        BackupSources.check(inst.home(), store.root(), FOLDERS, folderOf.map(PgServer::dataDir).orElse(null));
        store.removeAbandoned();
        if (folderOf.isEmpty()) {
            tools.requireCanDump(server.major());
        }
        KeysetPair keysets = KeysetPair.of(inst.home(), db);
        long fileBytes = FOLDERS.stream().mapToLong(f -> FolderSize.of(inst.home().resolve(f))).sum();
        long databaseBytes = folderOf.map(p -> FolderSize.of(p.dataDir())).orElse(server.sizeBytes());
        long freeBefore = requireRoom(databaseBytes + fileBytes);
        String id = store.newId(started, inst.state().product(), inst.state().version());
        Path partial = store.root().resolve(id + BackupStore.PARTIAL);
        BackupManifest manifest;
        try {
            createOwnerOnly(store.root());
            Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            store.claim(partial);
            manifest = write(inst, db, server, folderOf, id, started, partial, databaseBytes, fileBytes, keysets, progress);
            Files.move(partial, store.root().resolve(id), StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.forceDirectory(store.root());
        } catch (IOException | RuntimeException e) {
            long used = DiskFull.is(e) ? freeBefore - usableQuietly() : 0;
            deleteQuietly(partial);
            if (DiskFull.is(e)) {
                throw diskFull(e, used, (long) ((databaseBytes + fileBytes) * MARGIN), freeBefore);
            }
            if (e instanceof UpliftException u) {
                throw u;
            }
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Writing the backup " + partial + " failed: " + e
                    + ". It was removed; nothing of the installation was changed. Fix the cause and run the backup again.", e);
        }
        // A data-folder copy was started and counted before its manifest was written; re-reading the files is enough here.
        VerifyResult verification = BackupVerifier.verify(store.folder(id), store.readManifest(store.folder(id)), tools, n -> { }, false);
        if (!verification.ok()) {
            discard(id);
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "The backup " + id + " did not match what was written: "
                    + verification.problems().stream().map(Object::toString).collect(Collectors.joining("; "))
                    + ". It was deleted. Check the disk of " + store.root() + " and run the backup again.");
        }
        Set<String> keepAlways = new HashSet<>(protectedIds);
        keepAlways.add(id);
        List<String> removed = new ArrayList<>();
        for (String old : Retention.toDelete(store.list(), inst.home().toString(), keep, keepAlways)) {
            try {
                store.delete(old);
                removed.add(old);
            } catch (IOException e) {
                // The new backup is good; an old one that will not go is left for the next run to retry.
            }
        }
        return new BackupResult(manifest, store.root().resolve(id), Duration.ofNanos(System.nanoTime() - t0), verification, removed);
    }

    /** The managed server whose data folder is copied instead of dumped, if that is how this backup saves the database. */
    private Optional<PgServer> dataFolderToCopy(Installation inst, int serverMajor) {
        Optional<PgServer> managed = new ProductDatabase(inst).managedServer();
        return switch (databaseCopy) {
            case DUMP -> Optional.empty();
            case DATA_FOLDER -> Optional.of(managed.orElseThrow(() -> new UpliftException(ErrorCode.USAGE,
                    "Uplift does not manage the database server of " + inst.home() + ", so it cannot copy its data folder.")));
            case AUTO -> tools.major() >= serverMajor ? Optional.empty() : managed;
        };
    }

    private BackupManifest write(Installation inst, DatabaseSettings db, DatabaseDump.Server server, Optional<PgServer> folderOf, String id,
            Instant started, Path partial, long databaseBytes, long fileBytes, KeysetPair keysets, ProgressListener progress) throws IOException {
        long dbTotal = folderOf.isPresent() ? databaseBytes : server.totalTableBytes();
        long total = dbTotal + fileBytes;
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
            DatabaseDump.dump(tools, db, server, dumpFile, done -> progress.progress(Math.min(done, dbTotal), total));
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

    /**
     * The disk filled although the room check passed (something else wrote there meanwhile, or the
     * files take more room on disk than their bytes: a block per small file). Says how far the
     * backup got by the drop in free space, which counts blocks as the disk does (and includes what
     * any other writer took meanwhile: hence "fell by", not "the backup wrote").
     */
    private UpliftException diskFull(Exception e, long used, long needed, long freeBefore) {
        return new UpliftException(ErrorCode.BACKUP_FAILED, DiskFull.at(store.root(), e) + ": while the backup was written, the free"
                + " space there fell by " + mb(used) + " MB, from the " + mb(freeBefore) + " MB the room check found for an estimated "
                + mb(needed) + " MB (database, app/, config/, data/, plus 20 %). The unfinished backup was removed; nothing of the"
                + " installation was changed. Free more space there (the backup needs more than those " + mb(used) + " MB), or pass"
                + " --backup-dir with a disk that has more room, then run the backup again.", e);
    }

    private long usableQuietly() {
        try {
            return freeSpace.usableBytes(existingAncestor(store.root()));
        } catch (IOException e) {
            return 0;
        }
    }

    /** Refuses when the backup will clearly not fit; returns the free bytes found. */
    private long requireRoom(long estimate) {
        long needed = (long) (estimate * MARGIN);
        Path location = existingAncestor(store.root());
        long free;
        try {
            free = freeSpace.usableBytes(location);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Cannot read the free space at " + location + ": " + e.getMessage()
                    + ". Pass a backup folder on a mounted, writable file system with --backup-dir.", e);
        }
        if (free < needed) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Not enough room for the backup: it needs about " + mb(needed)
                    + " MB (database and app/, config/, data/, plus 20 %), and " + location + " has " + mb(free) + " MB free."
                    + " Nothing was written. Free " + mb(needed - free) + " MB space there or pass --backup-dir with another location.");
        }
        return free;
    }

    private static long mb(long bytes) {
        return bytes / MB + (bytes % MB == 0 ? 0 : 1); // rounded up, without overflowing near Long.MAX_VALUE
    }

    static Path existingAncestor(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of("/") : p;
    }

    // Backups hold the database password and the keyset: readable by their owner only.
    private static void createOwnerOnly(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root);
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private void discard(String id) {
        try {
            store.delete(id);
        } catch (IOException e) {
            // Left behind as <id>.partial or <id>; verification reports it if anyone uses it.
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            BackupStore.deleteTree(dir);
        } catch (IOException e) {
            // An abandoned .partial is removed by the next backup.
        }
    }

    /** Re-reads every file of a backup against its manifest and checks that pg_restore can read the dump. */
    public VerifyResult verify(String id) {
        Path folder = store.folder(id);
        if (!Files.isDirectory(folder)) {
            store.manifest(id); // throws, naming the known ids
        }
        return BackupVerifier.verify(folder, store.readManifest(folder), tools, n -> { }, true);
    }

    /** Complete backups, newest first. */
    public List<BackupManifest> list() {
        return store.list();
    }

    public BackupManifest manifest(String id) {
        return store.manifest(id);
    }

    /**
     * Makes the product database's content exactly that of the backup's dump (see {@link DatabaseRestore});
     * the dump's checksum is checked first. Safe to call again after an interruption.
     */
    public void restoreDatabase(String id, DatabaseSettings db) {
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

    /**
     * Makes the installation's database that of backup {@code id}: a dump is restored into the database
     * (see {@link #restoreDatabase(String, DatabaseSettings)}); a data-folder copy puts the managed
     * server's folder back (see {@link DataFolderRestore}). Safe to call again after an interruption.
     */
    public void restoreDatabase(String id, Installation inst) {
        BackupManifest m = store.manifest(id);
        if (m.isDataFolderCopy()) {
            DataFolderRestore.restore(store.folder(id), m, inst);
        } else {
            restoreDatabase(id, inst.databaseSettings());
        }
    }

    /**
     * Refuses to restore the database of backup {@code id} under a keyset that cannot decrypt it:
     * the keyset in {@code home} must have the fingerprint the backed-up database recorded (or, for
     * a database that recorded none, the backed-up keyset's). Backups that record neither pass.
     */
    public void requireKeysetMatches(String id, Path home) {
        BackupManifest m = store.manifest(id);
        String expected = m.databaseKeysetFingerprint() != null ? m.databaseKeysetFingerprint() : m.keysetFingerprint();
        if (expected == null) {
            return;
        }
        Path file = home.resolve(KeysetConsistency.KEYSET);
        String found = KeysetEnvelope.fingerprintOf(file).orElse("none (missing or not a sealed keyset)");
        if (!found.equals(expected)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The database of backup " + id + " goes with the keyset "
                    + shortFp(expected) + ", but " + file + " is " + shortFp(found) + ": after the restore this node could not decrypt"
                    + " the database's secrets. The database was not touched. Put back the keyset that goes with the backup (it holds"
                    + " one: " + store.folder(id).resolve(KeysetConsistency.KEYSET) + ", with the same master key), or, if you know the"
                    + " keyset in place is right, run the rollback again with --accept-keyset-mismatch.");
        }
    }

    private static String shortFp(String fp) {
        return fp.length() > 12 && fp.matches("[0-9a-f]+") ? fp.substring(0, 12) : fp;
    }

    /** Puts {@code home/name} (app, config or data) back as in the backup (see {@link FolderRestore}). */
    public void restoreFolder(String id, String name, Path home) {
        FolderRestore.restore(store.folder(id), store.manifest(id), name, home.toAbsolutePath().normalize());
    }
}
