package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.db.ConnectionString;
import io.uplift.db.DatabaseTarget;
import io.uplift.db.Jdbc;
import io.uplift.db.PgServer;
import io.uplift.db.ToolRun;
import io.uplift.testsupport.TestPostgres;
import io.uplift.testsupport.UpliftJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, items 10 and 17: databases named the ways libpq takes them (a Unix socket folder, the
 * keyword form) and passwords that never go on a command line.
 */
class ConnectionStringIT {
    private static TestPostgres.Server socketServer;

    @TempDir
    Path temp;

    /** A PostgreSQL 10 server of its own whose socket takes a password (the shared ones allow only peer on the socket). */
    @BeforeAll
    static void serverWithPasswordOnItsSocket() throws Exception {
        socketServer = TestPostgres.startEphemeral(10);
        PgServer server = socketServer.server();
        Path hba = server.dataDir().resolve("pg_hba.conf");
        Files.writeString(hba, "local all all md5\n" + Files.readString(hba));
        try (Connection c = Jdbc.connect(server.jdbcUrl("postgres"), socketServer.superuser().user(), socketServer.superuser().password());
             Statement st = c.createStatement()) {
            st.execute("SELECT pg_reload_conf()");
        }
    }

    private static Path socketFolder() {
        Path data = socketServer.server().dataDir();
        return data.resolveSibling(data.getFileName() + ".run");
    }

    private Path passwordFile(String name, String password) throws Exception {
        Path f = temp.resolve(name);
        Files.writeString(f, password + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    @Test
    void issue13_item17_jdbcAndPsqlReachARealServerThroughItsUnixSocketFolder() throws Exception {
        TestPostgres.Database db = socketServer.newDatabase();
        ConnectionString c = ConnectionString.parse("--source", "postgresql://" + db.user() + "@/" + db.name() + "?host="
                + socketFolder() + "&port=" + socketServer.server().port(), Map.of());

        try (Connection conn = Jdbc.connect(c.jdbcUrl(), db.user(), db.password()); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT inet_server_addr() IS NULL, current_database()")) {
            rs.next();
            assertThat(rs.getBoolean(1)).as("a Unix socket connection has no server address").isTrue();
            assertThat(rs.getString(2)).isEqualTo(db.name());
        }
        DatabaseTarget tools = DatabaseTarget.of(c, db.password());
        List<String> psql = new ArrayList<>(List.of(io.uplift.db.PgTools.locate(java.util.Optional.empty()).psql().toString(), "-X", "-At", "-c",
                "SELECT inet_server_addr() IS NULL"));
        psql.addAll(tools.connectionArgs());
        ToolRun.Result r = ToolRun.run(psql, tools.environment(), line -> { }, Duration.ofSeconds(30), io.uplift.api.ErrorCode.DATABASE_MOVE);
        assertThat(r.exitCode()).as(r.stderrTail()).isZero();
        assertThat(r.stdout().strip()).isEqualTo("t");
        assertThat(psql).noneMatch(a -> a.contains(db.password()));
    }

    @Test
    void issue13_item17_aMoveFromASocketFolderInTheKeywordFormWithPasswordFilesCopiesTheRows() throws Exception {
        TestPostgres.Database source = socketServer.newDatabase();
        try (Connection conn = Jdbc.connect(source.jdbcUrl(), source.user(), source.password()); Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE notes (id integer PRIMARY KEY, body text)");
            st.execute("INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 500) g");
        }
        MoveTestDatabase target = MoveTestDatabase.on16();

        Cli run = Cli.run(List.of("db", "move",
                "--source", "host=" + socketFolder() + " port=" + socketServer.server().port() + " dbname=" + source.name() + " user=" + source.user(),
                "--source-password-file", passwordFile("source-pw", source.password()).toString(),
                "--target", "postgresql://" + target.db().user() + "@127.0.0.1:" + target.port() + "/" + target.db().name(),
                "--target-password-file", passwordFile("target-pw", target.db().password()).toString(),
                "--threads", "2", "--yes"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("Validation passed");
        assertThat(run.out() + run.err()).doesNotContain(source.password()).doesNotContain(target.db().password())
                .doesNotContain("Warning");
        assertThat(target.longOf("SELECT count(*) FROM notes")).isEqualTo(500);
    }

    @Test
    void issue13_item10_aMoveWithPgpasswordAndAPasswordFileWorksAndNoPasswordIsOnAnyCommandLineOrInAToolsEnvironment() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        source.execute("CREATE TABLE notes (id integer PRIMARY KEY, body text)",
                "INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 20000) g");
        MoveTestDatabase target = MoveTestDatabase.on16();
        Path work = Files.createDirectories(temp.resolve("work"));
        List<String> args = List.of("db", "move",
                "--source", "postgresql://" + source.db().user() + "@127.0.0.1:" + source.port() + "/" + source.db().name(),
                "--target", "postgresql://" + target.db().user() + "@127.0.0.1:" + target.port() + "/" + target.db().name(),
                "--target-password-file", passwordFile("target-pw", target.db().password()).toString(),
                "--threads", "2", "--yes");

        UpliftJvm move = UpliftJvm.start(work, Map.of("PGPASSWORD", source.db().password()), args);
        String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(move.pid()), "cmdline")), StandardCharsets.UTF_8);
        List<String> seen = new ArrayList<>();
        String upliftLine = procFile(move.pid(), "cmdline");
        move.awaitWhileRunning("pg_dump or psql started by the move", Duration.ofMinutes(2), () -> {
            ProcessHandle.of(move.pid()).ifPresent(p -> p.descendants().forEach(d -> {
                String line = procFile(d.pid(), "cmdline");
                seen.add(line);
                // The JDK starts every child through its jspawnhelper, which holds Uplift's own environment (the
                // operator's PGPASSWORD included) for the instant before it execs the tool with the environment
                // Uplift chose; caught in that instant, it is Uplift's environment, not the tool's. An instant
                // earlier still, the new process is the spawned copy of Uplift's JVM itself (its command line):
                // the same environment, for the same reason (seen once in a fresh-clone CI run).
                if (!line.contains("jspawnhelper") && !line.equals(upliftLine)) {
                    seen.add(procFile(d.pid(), "environ"));
                }
            }));
            return seen.stream().anyMatch(s -> s.contains("pg_dump") || s.contains("psql"));
        });
        UpliftJvm.Result r = move.awaitExit(Duration.ofMinutes(3));

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(target.longOf("SELECT count(*) FROM notes")).isEqualTo(20000);
        assertThat(cmdline).doesNotContain(source.db().password()).doesNotContain(target.db().password());
        assertThat(seen).as("the command lines and environments of the move's children").noneMatch(s -> s.contains(source.db().password())
                || s.contains(target.db().password()));
        assertThat(r.err()).doesNotContain("Warning");
    }

    @Test
    void issue13_item10_aPasswordFileReadableByOthersIsRefusedBeforeAnythingIsTouched() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        MoveTestDatabase target = MoveTestDatabase.on16();
        Path open = passwordFile("open-pw", source.db().password());
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));

        Cli run = Cli.run(List.of("db", "move",
                "--source", "postgresql://" + source.db().user() + "@127.0.0.1:" + source.port() + "/" + source.db().name(),
                "--source-password-file", open.toString(), "--target", target.url(), "--yes"));

        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--source-password-file " + open).contains("chmod 600 " + open).doesNotContain(source.db().password());
        assertThat(target.hasMoveRecords()).isFalse();
        assertThat(target.userRelations()).isEmpty();
    }

    @Test
    void issue13_item10_aUrlParseErrorOnTheCommandLineNeverPrintsThePassword() {
        Cli run = Cli.run(List.of("db", "move", "--source", "postgresql://u:top secret@127.0.0.1:notaport/x",
                "--target", "postgresql://u@127.0.0.1/y", "--yes"));

        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--source").contains("port").doesNotContain("top secret").doesNotContain("secret");
    }

    private static String procFile(long pid, String name) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), name)), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (java.io.IOException e) {
            return ""; // it ended meanwhile
        }
    }
}
