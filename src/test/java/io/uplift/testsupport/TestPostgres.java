package io.uplift.testsupport;

import io.uplift.db.Jdbc;
import io.uplift.db.JvmExitActions;
import io.uplift.db.OsUser;
import io.uplift.db.PgBinaries;
import io.uplift.db.PgCredentials;
import io.uplift.db.PgServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * PostgreSQL servers shared by all integration tests of one JVM: {@link #v10()} and {@link #v16()}
 * each initialise and start one cluster on first use and stop it at JVM exit. Tests do not share
 * data: each asks {@link Server#newDatabase()} for a fresh empty database.
 *
 * <p>Everything lives under {@code /tmp/uplift-test-pg-<pid>/} (mode 755, so the {@code postgres}
 * user can reach it when the tests run as root), deleted at JVM exit after the servers stopped.
 */
public final class TestPostgres {
    private static final String SUPERUSER = "uplift_test";
    private static final String BASE_PREFIX = "uplift-test-pg-";

    /** A fresh database and how to connect to it (as the cluster's superuser). */
    public record Database(String jdbcUrl, String user, String password, String name) {
        public PgCredentials credentials() {
            return new PgCredentials(user, password);
        }
    }

    /** One shared, running cluster. */
    public static final class Server {
        private final PgServer server;
        private final PgCredentials superuser;
        private final AtomicInteger databases = new AtomicInteger();

        private Server(PgServer server, PgCredentials superuser) {
            this.server = server;
            this.superuser = superuser;
        }

        public PgServer server() {
            return server;
        }

        public PgCredentials superuser() {
            return superuser;
        }

        public int major() {
            return server.binaries().major();
        }

        /** A new empty database owned by the superuser; the name says which test JVM made it. */
        public Database newDatabase() {
            String name = "t" + databases.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8);
            server.createDatabase(superuser, name, superuser.user());
            return new Database(server.jdbcUrl(name), superuser.user(), superuser.password(), name);
        }
    }

    // Holder classes: the JVM initialises each at most once, on first use, and thread-safely.
    private static final class Base {
        static final Path DIR = createBase();
    }

    private static final class V10 {
        static final Server SERVER = startShared(10);
    }

    private static final class V16 {
        static final Server SERVER = startShared(16);
    }

    private TestPostgres() {
    }

    public static Server v10() {
        return V10.SERVER;
    }

    public static Server v16() {
        return V16.SERVER;
    }

    /** A new empty folder under the base folder, mode 755: the server user can reach what is in it. */
    public static Path newTraversableTempDir() {
        try {
            Path dir = Files.createTempDirectory(Base.DIR, "dir-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new cluster of {@code major}, initialised and started, stopped at JVM exit. */
    public static Server startEphemeral(int major) {
        PgServer server = new PgServer(PgBinaries.forMajor(major), newTraversableTempDir().resolve("data"), 0,
                OsUser.serverUser());
        PgCredentials superuser = new PgCredentials(SUPERUSER, "pw-" + UUID.randomUUID());
        long t0 = System.nanoTime();
        server.initdb(superuser.user(), superuser.password());
        long t1 = System.nanoTime();
        server.stopOnJvmExit();
        server.start();
        long t2 = System.nanoTime();
        System.out.printf("[TestPostgres] PostgreSQL %s in %s: initdb %d ms, start %d ms, port %d%n",
                server.binaries().version(), server.dataDir(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                server.port());
        return new Server(server, superuser);
    }

    private static Server startShared(int major) {
        Server server = startEphemeral(major);
        // Fail here, once, rather than in every test, if the server cannot be reached over TCP.
        try (Connection connection = Jdbc.connect(server.server().jdbcUrl("postgres"), SUPERUSER,
                server.superuser().password())) {
            if (!connection.isValid(10)) {
                throw new IllegalStateException("PostgreSQL " + major + " test server does not answer");
            }
            return server;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path createBase() {
        reapAbandoned();
        try {
            Path dir = Path.of("/tmp", BASE_PREFIX + ProcessHandle.current().pid());
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            // Registered before any server starts, so it runs after they are stopped (LIFO).
            JvmExitActions.register("delete " + dir, () -> deleteTree(dir));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A test JVM killed outright (SIGKILL, a fork timeout) runs no exit actions: its servers keep
     * running and its folder stays. The next test JVM stops those servers (SIGTERM to the postmaster,
     * whose client sessions died with that JVM) and deletes the folder.
     */
    private static void reapAbandoned() {
        try (Stream<Path> bases = Files.list(Path.of("/tmp"))) {
            bases.filter(p -> p.getFileName().toString().startsWith(BASE_PREFIX))
                    .filter(p -> !isLiveProcess(p.getFileName().toString().substring(BASE_PREFIX.length())))
                    .forEach(base -> {
                        stopServersUnder(base);
                        deleteTree(base);
                    });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("[TestPostgres] could not clean up abandoned test folders: " + e);
        }
    }

    private static boolean isLiveProcess(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not one of ours: leave it alone
        }
    }

    private static void stopServersUnder(Path base) {
        try (Stream<Path> pidFiles = Files.find(base, 4, (p, a) -> p.getFileName().toString().equals("postmaster.pid"))) {
            pidFiles.forEach(pidFile -> {
                try {
                    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
                    ProcessHandle.of(pid).ifPresent(process -> {
                        process.destroy();
                        process.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
                    });
                } catch (IOException | RuntimeException e) {
                    System.err.println("[TestPostgres] could not stop the server of " + pidFile.getParent() + ": " + e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
