package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.api.BackupManifest.Entry;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;

/**
 * Puts one folder of the home (app/, config/ or data/) back as it was in a backup.
 *
 * <p>States, and what the next call does with each (so a kill at any instant is finished by calling
 * again):
 * <ol>
 *   <li>no {@code NAME.aside}: a leftover {@code NAME.restoring} may be half-copied; it is deleted and
 *       the copy starts over. The live folder has not been touched yet.</li>
 *   <li>{@code NAME.aside} and {@code NAME.restoring}, no {@code NAME}: the live folder was moved aside;
 *       the restoring copy, complete and verified before that move, is renamed in.</li>
 *   <li>{@code NAME.aside} and {@code NAME}, no {@code NAME.restoring}: the swap is done; the old folder is
 *       deleted.</li>
 * </ol>
 * Copies are checked against the manifest's SHA-256 while they are written into {@code NAME.restoring},
 * before the live folder is touched: a damaged backup stops the restore with the live folder intact.
 */
final class FolderRestore {
    static final Set<String> FOLDERS = Set.of("app", "config", "data");

    private FolderRestore() {}

    static void restore(Path backupFolder, BackupManifest manifest, String name, Path home) {
        if (!FOLDERS.contains(name)) {
            throw new UpliftException(ErrorCode.USAGE, "Only app, config and data can be restored from a backup, not '" + name + "'.");
        }
        restoreTree(backupFolder, manifest.files(), name, home.resolve(name), () -> { });
    }

    /**
     * Puts {@code live} back as the entries under {@code name/} in the backup folder describe it (the
     * same states as above, with {@code NAME} the live folder's own name).
     *
     * @param beforeSwap run once the verified copy is ready and before the live folder is touched (stops its server)
     */
    static void restoreTree(Path backupFolder, List<Entry> all, String name, Path live, Runnable beforeSwap) {
        Path parent = live.getParent();
        Path restoring = parent.resolve(live.getFileName() + ".restoring");
        Path aside = parent.resolve(live.getFileName() + ".aside");
        try {
            if (Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
                beforeSwap.run();
                finishSwap(live, restoring, aside, parent);
                return;
            }
            BackupStore.deleteTree(restoring);
            copyVerified(backupFolder, all, name, restoring);
            DurableFiles.forceDirectory(parent);
            beforeSwap.run();
            if (Files.exists(live, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(live, aside, StandardCopyOption.ATOMIC_MOVE);
                DurableFiles.forceDirectory(parent);
            }
            finishSwap(live, restoring, aside, parent);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Restoring " + live + " from the backup " + backupFolder + " failed: " + e
                    + ". Run the restore again: it continues from where it stopped.", e);
        }
    }

    private static void finishSwap(Path live, Path restoring, Path aside, Path home) throws IOException {
        boolean liveThere = Files.exists(live, LinkOption.NOFOLLOW_LINKS);
        boolean restoringThere = Files.exists(restoring, LinkOption.NOFOLLOW_LINKS);
        if (!liveThere && restoringThere) {
            Files.move(restoring, live, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.forceDirectory(home);
        } else if (liveThere && restoringThere) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Found " + live + ", " + restoring + " and " + aside + " together, which"
                    + " a restore never leaves behind: someone changed them meanwhile. Decide which one to keep, delete the others"
                    + " and run the restore again.");
        } else if (!liveThere) {
            // The restoring copy is gone (deleted by hand): put the old folder back and start again.
            Files.move(aside, live, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.forceDirectory(home);
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "The restored copy " + restoring + " disappeared during the restore; "
                    + live + " was put back as it was. Run the restore again.");
        }
        BackupStore.deleteTree(aside);
        DurableFiles.forceDirectory(home);
    }

    /** Builds {@code target} from the manifest's entries under {@code name/}, each file checked against its SHA-256. */
    static void copyVerified(Path backupFolder, List<Entry> all, String name, Path target) throws IOException {
        List<Entry> entries = all.stream()
                .filter(e -> e.path().equals(name) || e.path().startsWith(name + "/"))
                .sorted((a, b) -> a.path().compareTo(b.path()))
                .toList();
        Files.createDirectories(target);
        UserPrincipalLookupService users = target.getFileSystem().getUserPrincipalLookupService();
        for (Entry e : entries) {
            Path from = backupFolder.resolve(e.path());
            Path to = target.resolve(relative(name, e.path()));
            if (e.isDir()) {
                Files.createDirectories(to);
            } else if (e.isLink()) {
                Files.createSymbolicLink(to, Path.of(e.link()));
                owner(to, e, users);
            } else {
                if (!Files.isRegularFile(from, LinkOption.NOFOLLOW_LINKS)) {
                    BackupStore.deleteTree(target);
                    throw new UpliftException(ErrorCode.BACKUP_FAILED, "The backup " + backupFolder + " is damaged: " + e.path()
                            + " is missing. Nothing in " + target.getParent() + " was changed. Restore from another backup ('uplift backup --list').");
                }
                TreeCopy.Copied copied = TreeCopy.copyFile(from, to, n -> { });
                if (!copied.sha256().equals(e.sha256())) {
                    BackupStore.deleteTree(target);
                    throw new UpliftException(ErrorCode.BACKUP_FAILED, "The backup " + backupFolder + " is damaged: " + e.path()
                            + " has SHA-256 " + copied.sha256() + ", the manifest says " + e.sha256() + ". Nothing in " + target.getParent()
                            + " was changed. Restore from another backup ('uplift backup --list').");
                }
                attributes(from, to, e, users);
            }
        }
        // Folders last, deepest first: a read-only folder would refuse its own children.
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.isDir()) {
                attributes(backupFolder.resolve(e.path()), target.resolve(relative(name, e.path())), e, users);
            }
        }
    }

    private static String relative(String name, String path) {
        return path.equals(name) ? "" : path.substring(name.length() + 1);
    }

    private static void attributes(Path from, Path to, Entry e, UserPrincipalLookupService users) throws IOException {
        owner(to, e, users);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(e.mode()));
        if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
            Files.setLastModifiedTime(to, Files.getLastModifiedTime(from, LinkOption.NOFOLLOW_LINKS));
        }
    }

    /** Gives the copy its recorded owner and group; only root can, so it is skipped where nothing changes. */
    private static void owner(Path p, Entry e, UserPrincipalLookupService users) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        var now = view.readAttributes();
        try {
            if (e.owner() != null && !now.owner().getName().equals(e.owner())) {
                view.setOwner(users.lookupPrincipalByName(e.owner()));
            }
            if (e.group() != null && !now.group().getName().equals(e.group())) {
                view.setGroup(users.lookupPrincipalByGroupName(e.group()));
            }
        } catch (IOException ex) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Cannot give " + p + " its recorded owner " + e.owner() + ":" + e.group()
                    + " (" + ex + "). Run the restore as root, or as that user, and again: it continues from where it stopped.", ex);
        }
    }
}
