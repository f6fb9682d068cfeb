package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.OsUser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The file given with 'dr refresh --password-file': the primary database's password on its first line.
 * Refused when group or others have any right to it (the password would be no secret), and, when
 * Uplift runs as root, when it is a symbolic link: root reads every file, so a link planted by
 * another user could make it send, say, /etc/shadow's first line to a server of that user's choosing.
 * As root the read opens the file without following a link too, so a link swapped in after the
 * check is refused by the open itself.
 */
final class DrPasswordFile {
    static final String FLAG = "--password-file";
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final int MAX_BYTES = 4096;

    private DrPasswordFile() {}

    static String read(Path file) {
        return read(file, OsUser.runningAsRoot());
    }

    static String read(Path file, boolean asRoot) {
        String what = FLAG + " " + file;
        LinkOption[] links = asRoot ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        PosixFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, PosixFileAttributes.class, links);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.USAGE, "Cannot read " + what + ": " + e.getMessage()
                    + ". Give a file (mode 600) holding the primary database's password on its first line. Nothing was changed.", e);
        }
        if (attrs.isSymbolicLink()) {
            throw new UpliftException(ErrorCode.USAGE, what + " is a symbolic link, which Uplift does not follow as root (another"
                    + " user could point it at any file root can read). Pass the file itself. Nothing was changed.");
        }
        if (!attrs.isRegularFile()) {
            throw new UpliftException(ErrorCode.USAGE, what + " is not a regular file. Give a file (mode 600) holding the password"
                    + " on its first line. Nothing was changed.");
        }
        if (attrs.permissions().stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new UpliftException(ErrorCode.USAGE, what + " can be read or changed by other users of this machine (mode "
                    + PosixFilePermissions.toString(attrs.permissions()) + "), so its password is no secret. Run: chmod 600 " + file
                    + " (and change the password if others could read it). Nothing was changed.");
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file, asRoot ? new java.nio.file.OpenOption[] {StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS} : new java.nio.file.OpenOption[] {StandardOpenOption.READ})) {
            ByteBuffer buf = ByteBuffer.allocate(MAX_BYTES);
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // a password file is small: read up to MAX_BYTES, the first line is in it
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.isEmpty()) {
                throw new UpliftException(ErrorCode.USAGE, what + " is empty. Write the password on its first line. Nothing was changed.");
            }
            return line;
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.USAGE, "Cannot read " + what + ": " + e.getMessage() + ". Nothing was changed.", e);
        }
    }
}
