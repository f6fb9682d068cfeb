package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * libpq's password file format ({@code ~/.pgpass}): lines of {@code host:port:database:user:password},
 * {@code *} matching anything, {@code \:} and {@code \\} escaping. Read to find a password as psql
 * would, and written (one wildcard line, mode 600, deleted after the run) to hand a password to
 * pg_dump, pg_restore or psql without putting it in their environment or command line.
 */
public final class PassFile {
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private PassFile() {}

    /**
     * Refuses a file with any permission for group or others, as libpq and ssh do with their secrets:
     * {@code what} names it in the message (e.g. "--source-password-file /root/pw").
     */
    public static void requireOwnerOnly(Path file, String what) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(OTHERS::contains)) {
                throw new UpliftException(ErrorCode.USAGE, what + " can be read by other users of this machine (mode "
                        + PosixFilePermissions.toString(mode) + "), so its password is no secret. Run: chmod 600 " + file);
            }
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.USAGE, "Cannot read " + what + ": " + e.getMessage()
                    + ". Give a readable file holding the password on its first line.", e);
        }
    }

    /** The password of the first line matching the connection, as libpq picks it. */
    static Optional<String> lookup(Path file, ConnectionString.Host host, String database, String user) {
        requireOwnerOnly(file, "The password file " + file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.USAGE, "Cannot read the password file " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> f = fields(line);
            if (f.size() == 5 && matchesHost(f.get(0), host) && matches(f.get(1), String.valueOf(host.port()))
                    && matches(f.get(2), database) && matches(f.get(3), user)) {
                return Optional.of(f.get(4));
            }
        }
        return Optional.empty();
    }

    /** A socket folder is matched by its path or, as libpq does for its default folder, by "localhost". */
    private static boolean matchesHost(String field, ConnectionString.Host host) {
        return matches(field, host.name()) || (host.isSocketFolder() && field.equals("localhost"));
    }

    private static boolean matches(String field, String value) {
        return field.equals("*") || field.equals(value);
    }

    private static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                current.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }

    /** A new file (mode 600 from its creation) that gives {@code password} for any server; the caller deletes it. */
    public static Path writeTemporary(String password) throws IOException {
        Path file = Files.createTempFile("uplift-pgpass-", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(file, "*:*:*:*:" + password.replace("\\", "\\\\").replace(":", "\\:") + "\n", StandardCharsets.UTF_8);
            return file;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
