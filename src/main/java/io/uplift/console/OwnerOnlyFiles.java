package io.uplift.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The console's files that hold secrets (the admin password's hash; the password files it is given):
 * read only when they are regular files, not links, owned by the user the console runs as and
 * readable by no one else; written mode 600 in a folder of mode 700, atomically. As root, a file
 * another user can write or swap for a link is a way in, so it is refused rather than trusted.
 */
final class OwnerOnlyFiles {
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private OwnerOnlyFiles() {}

    /** The first line of a password file, refused when anyone but its owner could read or replace it. */
    static char[] readSecret(Path file, String flag) {
        requireOwnerOnly(file, flag);
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = (end < 0 ? text : text.substring(0, end)).replace("\r", "");
            if (line.isEmpty()) {
                throw ConsoleException.usage(flag + " " + file + " is empty: write the password on its first line.");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw ConsoleException.usage(flag + " " + file + " cannot be read: " + e.getMessage());
        }
    }

    static void requireOwnerOnly(Path file, String what) {
        try {
            PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                throw ConsoleException.usage(what + " " + file + " is not a regular file (a link or a folder): give the file itself.");
            }
            if (!a.owner().getName().equals(currentUser())) {
                throw ConsoleException.usage(what + " " + file + " belongs to " + a.owner().getName() + ", not to " + currentUser()
                        + ", who runs the console: chown it, or write the file as " + currentUser() + ".");
            }
            if (a.permissions().stream().anyMatch(OTHERS::contains)) {
                throw ConsoleException.usage(what + " " + file + " can be read or written by others (mode "
                        + PosixFilePermissions.toString(a.permissions()) + "): run 'chmod 600 " + file + "'.");
            }
        } catch (IOException e) {
            throw ConsoleException.usage(what + " " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** Writes {@code content} to {@code file} (mode 600) through a temporary file and an atomic rename. */
    static void write(Path file, byte[] content) throws IOException {
        Path folder = file.getParent();
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        requireOwnerOnlyFolder(folder);
        Path tmp = folder.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void requireOwnerOnlyFolder(Path folder) {
        try {
            PosixFileAttributes a = Files.readAttributes(folder, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory() || !a.owner().getName().equals(currentUser())
                    || a.permissions().stream().anyMatch(p -> p.name().endsWith("WRITE") && OTHERS.contains(p))) {
                throw ConsoleException.home("The console's folder " + folder + " is a link, belongs to another user or can be written"
                        + " by others: remove it (it holds only the console's admin password hash) and start the console again.");
            }
        } catch (IOException e) {
            throw ConsoleException.home("The console's folder " + folder + " cannot be read: " + e.getMessage());
        }
    }

    private static String currentUser() {
        return System.getProperty("user.name");
    }
}
