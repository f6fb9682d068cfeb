package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs initdb for a {@link PgServer}. The superuser password reaches initdb through a file (never the
 * command line, which every local user can read in /proc), created 600 for the server user inside its
 * private socket folder and deleted afterwards whatever happens.
 */
final class ClusterInitializer {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    private final PgBinaries binaries;
    private final ClusterFiles files;
    private final OsUser user;

    ClusterInitializer(PgBinaries binaries, ClusterFiles files, OsUser user) {
        this.binaries = binaries;
        this.files = files;
        this.user = user;
    }

    /**
     * Creates the cluster: UTF8, locale C, {@code superuser} with {@code password}; connections over
     * TCP need the password (scram-sha-256), local socket connections only the matching OS account
     * (peer). Refuses a data folder that is not empty, and leaves such a folder untouched.
     */
    void initdb(String superuser, String password) {
        if (password == null || password.isEmpty() || password.contains("\n") || password.contains("\r")) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "The password for PostgreSQL superuser '"
                    + superuser + "' must be non-empty and on one line.");
        }
        requireEmptyDataDir();
        user.requireReachable(binaries.binDir());
        user.preparePrivateDirectory(files.dataDir());
        user.preparePrivateDirectory(files.socketDir());
        Path passwordFile = null;
        try {
            passwordFile = writePasswordFile(password);
            ExternalCommand.Result result = ExternalCommand.run(user.command(List.of(
                    binaries.program("initdb").toString(), "-D", files.dataDir().toString(), "-U", superuser,
                    "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C",
                    "--auth-host=scram-sha-256", "--auth-local=peer")), TIMEOUT);
            if (!result.succeeded()) {
                throw new UpliftException(ErrorCode.DATABASE_SERVER, "initdb of PostgreSQL " + binaries.version()
                        + " failed for " + files.dataDir() + " (as OS user " + user.name() + "):\n"
                        + result.output().strip());
            }
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "Could not write the initdb password file in "
                    + files.socketDir() + ": " + e.getMessage(), e);
        } finally {
            try {
                if (passwordFile != null) {
                    Files.deleteIfExists(passwordFile);
                }
            } catch (IOException e) {
                System.err.println("uplift: could not delete " + passwordFile + ", delete it yourself: " + e);
            }
        }
    }

    /**
     * A new file with a unique name in the private socket folder, created exclusively (O_EXCL, so never
     * through a link someone planted) and 600 from its first instant, then given to the server user.
     */
    private Path writePasswordFile(String password) throws IOException {
        Path file = Files.createTempFile(files.socketDir(), "initdb-password-", "",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newOutputStream(file, LinkOption.NOFOLLOW_LINKS, StandardOpenOption.WRITE)) {
            out.write((password + "\n").getBytes(StandardCharsets.UTF_8));
        }
        user.giveToThisUser(file);
        return file;
    }

    private void requireEmptyDataDir() {
        Path dir = files.dataDir();
        if (Files.isRegularFile(dir.resolve("PG_VERSION"))) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "The folder " + dir + " already holds a"
                    + " PostgreSQL cluster; it was left as it is. Start it instead, or choose another folder.");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new UpliftException(ErrorCode.DATABASE_SERVER, "The folder " + dir + " is not empty,"
                            + " so no PostgreSQL cluster was created there and nothing in it was changed. Choose an"
                            + " empty or missing folder, or move its contents away.");
                }
            } catch (IOException e) {
                throw new UpliftException(ErrorCode.DATABASE_SERVER, "Could not read the folder " + dir + ": "
                        + e.getMessage(), e);
            }
        } else if (Files.exists(dir)) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, dir + " is a file, not a folder: choose another"
                    + " location for the PostgreSQL data.");
        }
    }
}
