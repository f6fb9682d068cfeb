package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.db.OsUser;
import io.uplift.db.PgBinaries;
import io.uplift.db.PgServer;
import io.uplift.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * 'db move --target-version 16 --target-dir DIR': the facade starts a new server itself (the one
 * path of the move that no other test takes since the verb moved behind the facade), moves the
 * source into it, validates, and leaves it running; a second call with the same folder is refused.
 */
class DatabaseMoveTargetVersionIT {
    private static final Pattern STARTED = Pattern.compile("Started PostgreSQL 16 in (\\S+) on 127\\.0\\.0\\.1:(\\d+);");

    @Test
    void aNewServerIsStartedAndReceivesTheSource() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        source.execute("CREATE TABLE secrets (id bigint PRIMARY KEY, name text NOT NULL)",
                "INSERT INTO secrets SELECT g, 'secret ' || g FROM generate_series(1, 5000) g");
        Path dir = TestPostgres.newTraversableTempDir().resolve("pg16");

        Cli run = Cli.run(List.of("db", "move", "--source", source.url(), "--target-version", "16", "--target-dir", dir.toString(),
                "--threads", "2", "--yes"));

        assertThat(run.exit()).as(run.toString()).isZero();
        Matcher m = STARTED.matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        int port = Integer.parseInt(m.group(2));
        PgServer server = new PgServer(PgBinaries.forMajor(16), dir, port, OsUser.serverUser());
        try {
            assertThat(run.out()).doesNotContain(source.db().password());
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + source.db().name();
            try (Connection conn = DriverManager.getConnection(url, source.db().user(), source.db().password())) {
                assertThat(MoveTestDatabase.longOf(conn, "SELECT current_setting('server_version_num')::int")).isGreaterThanOrEqualTo(160000);
                assertThat(MoveTestDatabase.longOf(conn, "SELECT count(*) FROM secrets")).isEqualTo(5000);
                assertThat(MoveTestDatabase.longOf(conn, "SELECT sum(id) FROM secrets")).isEqualTo(5000L * 5001 / 2);
            }

            Cli again = Cli.run(List.of("db", "move", "--source", source.url(), "--target-version", "16", "--target-dir", dir.toString(), "--yes"));
            assertThat(again.exit()).as(again.toString()).isNotZero();
            assertThat(again.err()).contains("--target-dir").contains("already exists");
            assertThat(Files.isDirectory(dir.resolve("base"))).isTrue();
        } finally {
            server.stop();
        }
    }
}
