package io.uplift.backup;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.PgServer;
import io.uplift.db.PgTools;
import io.uplift.api.BackupManifest;
import io.uplift.api.BackupResult;
import io.uplift.api.BackupSettings;
import io.uplift.api.VerifyResult;
import io.uplift.install.ProductDatabase;
import java.util.Optional;
import io.uplift.api.ProgressListener;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Backups of installations in one backup folder: create (checks, room, write, verify, retention),
 * verify, list, and the restores the upgrade engine's rollback uses.
 *
 * <p>Nothing is written before the room check passes ({@link BackupRoom}), and a backup becomes
 * visible under its id only once complete ({@link BackupWriter}, {@link BackupStore}). The restores
 * are {@link BackupRestorer}'s and {@link BackupKeysetMatch}'s.
 */
public final class Backups {
    private final BackupStore store;
    private final PgTools tools;
    private final BackupRoom room;
    private final BackupWriter writer;
    private final BackupRestorer restorer;
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
        this.room = new BackupRoom(root, freeSpace);
        this.writer = new BackupWriter(store, tools, room);
        this.restorer = new BackupRestorer(store, tools);
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
        BackupWriter.Source source = measure(inst);
        long freeBefore = room.require(source.estimate());
        String id = store.newId(started, inst.state().product(), inst.state().version());
        BackupManifest manifest = writer.write(id, started, source, freeBefore, progress);
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

    /**
     * What the backup will save and how big it is, after the checks that must pass before anything
     * is written (sources apart from the backup folder, client tools able to dump, keysets agreeing).
     */
    private BackupWriter.Source measure(Installation inst) {
        DatabaseSettings db = inst.databaseSettings();
        DatabaseDump.Server server = DatabaseDump.inspect(db);
        Optional<PgServer> folderOf = dataFolderToCopy(inst, server.major());
        BackupSources.check(inst.home(), store.root(), BackupWriter.FOLDERS, folderOf.map(PgServer::dataDir).orElse(null));
        store.removeAbandoned();
        if (folderOf.isEmpty()) {
            tools.requireCanDump(server.major());
        }
        KeysetPair keysets = KeysetPair.of(inst.home(), db);
        long fileBytes = BackupWriter.FOLDERS.stream().mapToLong(f -> FolderSize.of(inst.home().resolve(f))).sum();
        long databaseBytes = folderOf.map(p -> FolderSize.of(p.dataDir())).orElse(server.sizeBytes());
        return new BackupWriter.Source(inst, db, server, folderOf, keysets, databaseBytes, fileBytes);
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

    private void discard(String id) {
        try {
            store.delete(id);
        } catch (IOException e) {
            // Left behind as <id>.partial or <id>; verification reports it if anyone uses it.
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
        restorer.restoreDatabase(id, db);
    }

    /**
     * Makes the installation's database that of backup {@code id}: a dump is restored into the database
     * (see {@link #restoreDatabase(String, DatabaseSettings)}); a data-folder copy puts the managed
     * server's folder back (see {@link DataFolderRestore}). Safe to call again after an interruption.
     */
    public void restoreDatabase(String id, Installation inst) {
        restorer.restoreDatabase(id, inst);
    }

    /** Refuses to restore the database of backup {@code id} under a keyset that cannot decrypt it (see {@link BackupKeysetMatch}). */
    public void requireKeysetMatches(String id, Path home) {
        BackupKeysetMatch.require(id, store.manifest(id), store.folder(id), home);
    }

    /** Puts {@code home/name} (app, config or data) back as in the backup (see {@link FolderRestore}). */
    public void restoreFolder(String id, String name, Path home) {
        restorer.restoreFolder(id, name, home);
    }
}
