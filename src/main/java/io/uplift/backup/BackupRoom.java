package io.uplift.backup;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.journal.DiskFull;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a backup fits in the backup folder, asked before anything is written, and the explanation
 * when the disk filled anyway. Apart from {@link Backups} so that the arithmetic and the messages can
 * be checked with a made-up {@link FreeSpace}.
 */
final class BackupRoom {
    /** The room a backup needs, over the database size plus the copied folders, for the dump's and copies' overhead. */
    static final double MARGIN = 1.2;
    private static final long MB = 1024 * 1024;

    private final Path root;
    private final FreeSpace freeSpace;

    BackupRoom(Path root, FreeSpace freeSpace) {
        this.root = root;
        this.freeSpace = freeSpace;
    }

    /** Refuses when a backup of about {@code estimate} bytes will clearly not fit; returns the free bytes found. */
    long require(long estimate) {
        long needed = needed(estimate);
        Path location = existingAncestor(root);
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

    /**
     * The disk filled although the room check passed (something else wrote there meanwhile, or the
     * files take more room on disk than their bytes: a block per small file). Says how far the
     * backup got by the drop in free space, which counts blocks as the disk does (and includes what
     * any other writer took meanwhile: hence "fell by", not "the backup wrote").
     *
     * @param freeBefore what {@link #require} returned
     */
    UpliftException diskFull(Exception e, long estimate, long freeBefore) {
        long used = freeBefore - usableQuietly();
        return new UpliftException(ErrorCode.BACKUP_FAILED, DiskFull.at(root, e) + ": while the backup was written, the free"
                + " space there fell by " + mb(used) + " MB, from the " + mb(freeBefore) + " MB the room check found for an estimated "
                + mb(needed(estimate)) + " MB (database, app/, config/, data/, plus 20 %). The unfinished backup was removed; nothing of the"
                + " installation was changed. Free more space there (the backup needs more than those " + mb(used) + " MB), or pass"
                + " --backup-dir with a disk that has more room, then run the backup again.", e);
    }

    private long usableQuietly() {
        try {
            return freeSpace.usableBytes(existingAncestor(root));
        } catch (IOException e) {
            return 0;
        }
    }

    private static long needed(long estimate) {
        return (long) (estimate * MARGIN);
    }

    static long mb(long bytes) {
        return bytes / MB + (bytes % MB == 0 ? 0 : 1); // rounded up, without overflowing near Long.MAX_VALUE
    }

    /** The backup folder may not exist yet: its free space is that of the nearest folder that does. */
    static Path existingAncestor(Path dir) {
        Path p = dir.toAbsolutePath();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        return p == null ? Path.of("/") : p;
    }
}
