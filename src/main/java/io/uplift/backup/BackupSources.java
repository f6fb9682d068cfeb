package io.uplift.backup;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a backup copies from the home, checked before anything is written.
 *
 * <p>app/, config/ and data/ must be real folders, not symbolic links. A backup saves links as links,
 * and a restore puts back exactly what was saved, so a linked data/ would be "backed up" as a link to
 * data that is not in the backup at all. Following it instead would make Uplift, running as root,
 * copy and later overwrite whatever the link points to. A folder on another disk is mounted at
 * HOME/data (a bind mount works) rather than linked.
 *
 * <p>The backup folder must not lie inside anything the backup copies: each backup would copy the
 * earlier ones and itself, until the names grow too long. Real paths are compared, so a backup folder
 * reached through a link into the home is caught too.
 */
final class BackupSources {
    private BackupSources() {}

    /** @param databaseFolder the server's data folder when the backup copies it as files */
    static void check(Path home, Path backupRoot, List<String> folders, Path databaseFolder) {
        List<Path> copied = new ArrayList<>();
        for (String name : folders) {
            Path folder = home.resolve(name);
            if (Files.isSymbolicLink(folder)) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, folder + " is a symbolic link (to " + target(folder)
                        + "). A backup copies " + String.join("/, ", folders) + "/ as real folders and never follows links:"
                        + " a link would be saved as a link, without the data it points to. Move the content into " + folder
                        + " itself, or mount the other disk there (for example `mount --bind " + target(folder) + " " + folder
                        + "`), then run the backup again. Nothing was written.");
            }
            if (Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                copied.add(folder);
            }
        }
        if (databaseFolder != null && Files.exists(databaseFolder)) {
            copied.add(databaseFolder);
        }
        Path root = realPath(backupRoot);
        for (Path folder : copied) {
            Path real = realPath(folder);
            if (root.startsWith(real)) {
                throw new UpliftException(ErrorCode.USAGE, "The backup folder (--backup-dir) " + backupRoot
                        + (root.equals(backupRoot.toAbsolutePath().normalize()) ? "" : " (really " + root + ")") + " is inside " + folder
                        + ", which the backup copies: every backup would copy the earlier ones and itself. Pass a --backup-dir outside "
                        + String.join("/, ", folders) + "/" + (databaseFolder == null ? "" : " and " + databaseFolder) + " of " + home
                        + ", for example " + home.resolve(".uplift/backups") + " (the default) or a folder on another disk."
                        + " Nothing was written.");
            }
        }
    }

    /** The real path of {@code p}, or of its nearest existing ancestor with the rest appended: the folder may not exist yet. */
    static Path realPath(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing.getParent() != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Cannot resolve the path " + existing + ": " + e.getMessage()
                    + ". Check that the folder is readable. Nothing was written.", e);
        }
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "an unreadable target";
        }
    }
}
