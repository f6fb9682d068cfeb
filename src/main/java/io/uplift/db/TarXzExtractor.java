package io.uplift.db;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Unpacks a {@code .tar.xz} stream into a folder, keeping what a PostgreSQL installation needs:
 * executable bits, symbolic links (the shared libraries are versioned symlinks) and hard links.
 *
 * <p>Every folder is made 755 and every file keeps its owner bits plus read (and execute where the
 * owner had it) for everyone, because the server may run as another account than the one extracting.
 */
final class TarXzExtractor {
    private TarXzExtractor() {
    }

    static void extract(InputStream txz, Path target) throws IOException {
        Path root = target.toRealPath();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new XZInputStream(new BufferedInputStream(txz, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = inside(root, entry.getName());
                if (entry.isDirectory()) {
                    createFolders(path);
                    continue;
                }
                createFolders(path.getParent());
                // An earlier symlink entry could make a folder lead elsewhere ("lib -> /etc"): write only
                // where the real location is still inside the root.
                if (!path.getParent().toRealPath().startsWith(root)) {
                    throw new IOException("archive entry '" + entry.getName() + "' leads outside the extraction"
                            + " folder through a symbolic link");
                }
                Files.deleteIfExists(path);
                if (entry.isSymbolicLink()) {
                    // The link text is kept as is; a link pointing outside only resolves to something
                    // the operator already has, and the PostgreSQL archives use relative library names.
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(path, inside(root, entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(path, readableByAll(entry.getMode()));
                }
                // Devices and FIFOs have no place in a binary distribution: skipped.
            }
        }
    }

    /** Resolves an entry name under the root, refusing names like {@code ../../etc/passwd}. */
    private static Path inside(Path root, String name) throws IOException {
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("archive entry '" + name + "' points outside the extraction folder");
        }
        return path;
    }

    private static void createFolders(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        createFolders(dir.getParent());
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static Set<PosixFilePermission> readableByAll(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
        if ((mode & 0200) != 0) {
            permissions.add(PosixFilePermission.OWNER_WRITE);
        }
        if ((mode & 0100) != 0) {
            permissions.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE));
        }
        return permissions;
    }
}
