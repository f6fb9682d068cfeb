package io.uplift.dbmove;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The export's folders (0700) and files (0600): an export holds every row of the product database,
 * secrets and users included. Each file is created with its mode, never widened by the umask first
 * and narrowed after, so there is no instant at which another user could open it.
 */
final class OwnerOnly {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private OwnerOnly() {}

    /**
     * Creates {@code dir} (its parents as usual) readable by its owner only; a folder the operator
     * made beforehand (it must be empty, or the export's own on --resume) is narrowed before anything is written in it.
     */
    static void folder(Path dir) throws IOException {
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (POSIX) {
                Files.setPosixFilePermissions(dir, FOLDER);
            }
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.createDirectory(dir, attributes(FOLDER));
    }

    /** A new, empty file (an earlier one of that name is deleted first, so its mode goes with it), open for writing. */
    static FileChannel create(Path file) throws IOException {
        Files.deleteIfExists(file);
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes(FILE));
    }

    /** A new empty file that a tool (pg_dump, pg_restore) then writes: it truncates the file and keeps its mode. */
    static void createEmpty(Path file) throws IOException {
        create(file).close();
    }

    /** The file open for appending, created owner-only if it is not there yet. */
    static FileChannel append(Path file) throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), attributes(FILE));
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> mode) {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)} : new FileAttribute<?>[0];
    }
}
