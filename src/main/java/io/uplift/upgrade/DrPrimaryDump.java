package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.ProgressListener;
import io.uplift.api.UpliftException;
import io.uplift.backup.DatabaseCopy;
import io.uplift.db.PgTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The primary's database dumped for a 'dr refresh --from URL', in the DR site's backup folder:
 * {@code primary-db-YYYYMMDD-HHMMSS/database.dump}, readable by its owner only (it holds every secret
 * of the product, encrypted or not). Written as {@code .partial} and renamed once pg_restore can read
 * it back, so a folder without the suffix is always a whole dump. After a refresh succeeds the older
 * dumps go: the DR database itself is the copy, and the newest dump is kept to restore again.
 *
 * @param folder the dump's folder; {@code id} is its name
 */
record DrPrimaryDump(String id, Path folder, Path file, long bytes) {
    static final String PREFIX = "primary-db-";
    private static final String FILE = "database.dump";
    private static final String PARTIAL = ".partial";
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    static DrPrimaryDump take(Path backupDir, Clock clock, PgTools tools, DrPrimaryUrl primary, ProgressListener progress) {
        String id = freeId(backupDir, PREFIX + ID_TIME.format(clock.instant()));
        Path partial = backupDir.resolve(id + PARTIAL);
        Path done = backupDir.resolve(id);
        try {
            Files.createDirectories(backupDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = partial.resolve(FILE);
            DatabaseCopy.dump(tools, primary.database(), file, progress);
            DatabaseCopy.requireReadable(tools, file);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            long bytes = Files.size(file);
            Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
            return new DrPrimaryDump(id, done, done.resolve(FILE), bytes);
        } catch (IOException | RuntimeException e) {
            deleteTree(partial);
            if (e instanceof UpliftException u) {
                throw new UpliftException(u.code(), u.getMessage() + " The DR site was not touched.", u);
            }
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Writing the primary's dump into " + partial + " failed: " + e
                    + ". It was removed; the DR site was not touched. Fix the cause and refresh again.", e);
        }
    }

    /** Two refreshes in the same second get two folders. */
    private static String freeId(Path backupDir, String wanted) {
        String id = wanted;
        for (int i = 2; Files.exists(backupDir.resolve(id)) || Files.exists(backupDir.resolve(id + PARTIAL)); i++) {
            id = wanted + "-" + i;
        }
        return id;
    }

    /** This dump is of no use (the primary changed while it was taken). */
    void delete() {
        deleteTree(folder);
    }

    /** Every earlier dump of a primary in the same folder; a failure to delete one is no reason to fail the refresh. */
    void deleteOlder() {
        try (Stream<Path> list = Files.list(folder.getParent())) {
            for (Path p : list.filter(p -> p.getFileName().toString().startsWith(PREFIX) && !p.equals(folder)).toList()) {
                deleteTree(p);
            }
        } catch (IOException e) {
            System.getLogger(DrPrimaryDump.class.getName()).log(System.Logger.Level.WARNING,
                    "Could not remove the older dumps in " + folder.getParent() + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.getLogger(DrPrimaryDump.class.getName()).log(System.Logger.Level.WARNING,
                    "Could not remove " + root + ": " + e.getMessage());
        }
    }
}
