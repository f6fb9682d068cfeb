package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.testsupport.EphemeralServerMain;
import io.uplift.testsupport.TestPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Real PostgreSQL 10 and 16 servers: init, start, stop, and the failures an operator meets. */
class PgRuntimeIT {

    @Test
    void postgres10And16RunSideBySide() throws Exception {
        TestPostgres.Database old = TestPostgres.v10().newDatabase();
        TestPostgres.Database current = TestPostgres.v16().newDatabase();

        try (Connection c10 = Jdbc.connect(old.jdbcUrl(), old.user(), old.password());
             Connection c16 = Jdbc.connect(current.jdbcUrl(), current.user(), current.password())) {
            ServerVersion v10 = ServerVersion.of(c10);
            ServerVersion v16 = ServerVersion.of(c16);

            assertThat(v10.major()).isEqualTo(10);
            assertThat(v10.number()).isBetween(100000, 109999);
            assertThat(v10.text()).startsWith("10.");
            assertThat(v16.major()).isEqualTo(16);
            assertThat(v16.number()).isBetween(160000, 169999);
            assertThat(c10.isValid(5)).as("the first connection still works").isTrue();
        }
        assertThat(TestPostgres.v10().server().port()).isNotEqualTo(TestPostgres.v16().server().port());
    }

    @Test
    void aWrongPasswordIsRefusedOverTcp() {
        TestPostgres.Database db = TestPostgres.v10().newDatabase();

        assertThatThrownBy(() -> Jdbc.connect(db.jdbcUrl(), db.user(), "wrong-password"))
                .isInstanceOfSatisfying(UpliftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_UNREACHABLE))
                .hasMessageContaining(db.jdbcUrl())
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void stopThenStartKeepsTheDataAndLeavesNoProcessWhileStopped() throws Exception {
        TestPostgres.Server handle = TestPostgres.startEphemeral(16);
        PgServer server = handle.server();
        TestPostgres.Database db = handle.newDatabase();
        try (Connection c = Jdbc.connect(db.jdbcUrl(), db.user(), db.password()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id int PRIMARY KEY, note text)");
            s.execute("INSERT INTO kept VALUES (1, 'survives a restart')");
        }

        assertThat(processesServing(server.dataDir())).as("the process check sees a running server").isNotEmpty();

        server.stop();

        assertThat(server.isRunning()).isFalse();
        assertThat(processesServing(server.dataDir())).isEmpty();

        server.start();

        assertThat(server.isRunning()).isTrue();
        try (Connection c = Jdbc.connect(server.jdbcUrl(db.name()), db.user(), db.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT note FROM kept WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("survives a restart");
        }
        server.stop();
        assertThat(processesServing(server.dataDir())).isEmpty();
    }

    @Test
    void startingARunningServerChangesNothing() {
        PgServer server = TestPostgres.v16().server();
        int port = server.port();

        server.start();

        assertThat(server.isRunning()).isTrue();
        assertThat(server.port()).isEqualTo(port);
        PgServer sameFolder = new PgServer(server.binaries(), server.dataDir(), 0, server.user());
        sameFolder.start();
        assertThat(sameFolder.port()).as("a new handle adopts the running server's port").isEqualTo(port);
    }

    @Test
    void aServerIsNotInTheCallersProcessGroup() throws Exception {
        PgServer server = TestPostgres.v10().server();
        long postmaster = Long.parseLong(
                Files.readAllLines(server.dataDir().resolve("postmaster.pid")).get(0).strip());

        // A Ctrl-C goes to the whole foreground process group; the server must not be part of ours.
        assertThat(processGroupOf(postmaster)).isNotEqualTo(processGroupOf(ProcessHandle.current().pid()));
    }

    private static long processGroupOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // Fields after the command name in parentheses: state, ppid, pgrp, ...
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[2]);
    }

    @Test
    void startingOnATakenPortNamesThePort() throws Exception {
        Path data = TestPostgres.newTraversableTempDir().resolve("data");
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = squatter.getLocalPort();
            PgServer server = new PgServer(PgBinaries.forMajor(16), data, port, OsUser.serverUser());
            server.initdb("admin", "secret");
            server.stopOnJvmExit();

            assertThatThrownBy(server::start)
                    .isInstanceOfSatisfying(UpliftException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_SERVER))
                    .hasMessageContaining("port " + port);
            assertThat(server.isRunning()).isFalse();
        }
    }

    @Test
    void initdbRefusesANonEmptyFolderAndLeavesItUntouched() throws Exception {
        Path dir = TestPostgres.newTraversableTempDir().resolve("data");
        Files.createDirectory(dir);
        Files.writeString(dir.resolve("precious.txt"), "operator data");
        String permissionsBefore = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
        Object ownerBefore = Files.getOwner(dir);
        PgServer server = new PgServer(PgBinaries.forMajor(16), dir, 0, OsUser.serverUser());

        assertThatThrownBy(() -> server.initdb("admin", "secret"))
                .isInstanceOfSatisfying(UpliftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_SERVER))
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("not empty");

        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly("precious.txt");
        }
        assertThat(Files.readString(dir.resolve("precious.txt"))).isEqualTo("operator data");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo(permissionsBefore);
        assertThat(Files.getOwner(dir)).isEqualTo(ownerBefore);
    }

    @Test
    void initdbRefusesAnInitialisedCluster() {
        PgServer running = TestPostgres.v16().server();
        PgServer again = new PgServer(running.binaries(), running.dataDir(), 0, running.user());

        assertThatThrownBy(() -> again.initdb("admin", "secret"))
                .isInstanceOfSatisfying(UpliftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_SERVER))
                .hasMessageContaining("already holds a PostgreSQL cluster");
        assertThat(running.isRunning()).isTrue();
    }

    @Test
    void aServerUserThatDoesNotExistIsExplainedWithUseradd() {
        assumeThat(OsUser.runningAsRoot()).as("only root can switch to another user").isTrue();

        assertThatThrownBy(() -> OsUser.serverUser("uplift-no-such-user"))
                .isInstanceOfSatisfying(UpliftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_SERVER))
                .hasMessageContaining("uplift-no-such-user")
                .hasMessageContaining("useradd");
    }

    @Test
    void aFolderTheServerUserCannotEnterIsNamedAndLeftAlone() throws Exception {
        assumeThat(OsUser.runningAsRoot()).as("only root has folders the server user cannot enter").isTrue();
        Path closed = TestPostgres.newTraversableTempDir().resolve("closed");
        Files.createDirectory(closed, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        PgServer server = new PgServer(PgBinaries.forMajor(16), closed.resolve("pg").resolve("data"), 0,
                OsUser.serverUser());

        assertThatThrownBy(() -> server.initdb("admin", "secret"))
                .isInstanceOfSatisfying(UpliftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_SERVER))
                .hasMessageContaining("cannot enter the folder " + closed);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(closed))).isEqualTo("rwx------");
        try (Stream<Path> entries = Files.list(closed)) {
            assertThat(entries).as("nothing created inside").isEmpty();
        }
    }

    @Test
    void aMissingMajorNamesTheAvailableOnes() {
        assertThatThrownBy(() -> PgBinaries.forMajor(9))
                .isInstanceOfSatisfying(UpliftException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_SERVER))
                .hasMessageContaining("PostgreSQL 9 binaries not found")
                .hasMessageContaining("available majors are 10, 14, 16, 17");
    }

    @Test
    void aChildJvmThatExitsNormallyLeavesNoServerBehind() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", classPath,
                "-Duplift.pg.binaries=" + System.getProperty("uplift.pg.binaries"),
                "-Duplift.distribution=" + System.getProperty("uplift.distribution"),
                EphemeralServerMain.class.getName(), "16")
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("RUNNING=true");
        Path dataDir = Path.of(output.lines().filter(l -> l.startsWith("DATA_DIR="))
                .findFirst().orElseThrow().substring("DATA_DIR=".length()));
        assertThat(processesServing(dataDir)).as(output).isEmpty();
    }

    /**
     * Processes of a server for {@code dataDir}: postgres changes into its data folder, and every
     * backend inherits that working folder, so /proc/PID/cwd finds them all; the postmaster also has
     * the folder on its command line (pgrep -f).
     */
    private static List<String> processesServing(Path dataDir) throws IOException, InterruptedException {
        String dir = dataDir.toAbsolutePath().normalize().toString();
        List<String> found;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            found = procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            String cwd = Files.readSymbolicLink(p.resolve("cwd")).toString();
                            return cwd.equals(dir) || cwd.startsWith(dir + " ") || cwd.startsWith(dir + "/");
                        } catch (IOException | SecurityException e) {
                            return false; // gone meanwhile, or a kernel thread
                        }
                    })
                    .map(p -> "pid " + p.getFileName())
                    .collect(Collectors.toList());
        }
        Process pgrep = new ProcessBuilder("pgrep", "-af", dir).redirectErrorStream(true).start();
        String pgrepOutput = new String(pgrep.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        pgrep.waitFor();
        if (!pgrepOutput.isEmpty()) {
            found.add(pgrepOutput);
        }
        return found;
    }
}
