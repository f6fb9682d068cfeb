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

    /**
     * A table cut in chunks whose load could change nothing but its jsonb values is counted on the
     * new server instead of read back (LoadProof); the rows are all there, as sent, and a later
     * '--validate', which reads every table back on both servers, agrees, and finds a row changed after.
     */
    @Test
    void aTableTheLoadCannotChangeIsCountedOnTheNewServerAndALaterValidationStillReadsItBack() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        source.execute("CREATE TABLE docs (id bigint PRIMARY KEY, body jsonb NOT NULL, note text)",
                "INSERT INTO docs SELECT g, jsonb_build_object('n', g, 'tags', jsonb_build_array('a' || g, g * 0.5), 'text', "
                        + "repeat(md5(g::text), 3)), CASE WHEN g % 7 = 0 THEN NULL ELSE 'note ' || g END FROM generate_series(1, 330000) g",
                "CREATE TABLE small (id int PRIMARY KEY, v numeric)", "INSERT INTO small SELECT g, g / 3.0 FROM generate_series(1, 100) g");
        assertThat(source.longOf("SELECT pg_relation_size('docs')")).as("above the 64 MB split threshold").isGreaterThan(66L * 1024 * 1024);
        Path dir = TestPostgres.newTraversableTempDir().resolve("pg16");

        Cli run = Cli.run(List.of("db", "move", "--source", source.url(), "--target-version", "16", "--target-dir", dir.toString(),
                "--threads", "2", "--yes"));

        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("against docs counted on the new server")
                .as("the last line says which table was counted rather than read back")
                .contains("Validation passed: the schema, and every chunk's row count and checksum as sent, are equal on both sides;"
                        + " docs was checked on the new server by counting its rows, their transactions and jsonb hashes, not read back.");
        Matcher m = STARTED.matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        int port = Integer.parseInt(m.group(2));
        PgServer server = new PgServer(PgBinaries.forMajor(16), dir, port, OsUser.serverUser());
        try {
            String url = "jdbc:postgresql://127.0.0.1:" + port + "/" + source.db().name();
            String sums = "SELECT count(*) || ' ' || sum(jsonb_hash(body)) || ' ' || sum(hashtext(coalesce(note, '-'))) FROM docs";
            try (Connection conn = DriverManager.getConnection(url, source.db().user(), source.db().password())) {
                assertThat(MoveTestDatabase.rows(conn, sums)).containsExactly(source.stringOf(sums));
            }
            String target = "postgresql://" + source.db().user() + ":" + source.db().password() + "@127.0.0.1:" + port + "/" + source.db().name();
            Cli validated = Cli.run(List.of("db", "move", "--source", source.url(), "--target", target, "--validate"));
            assertThat(validated.exit()).as(validated.toString()).isZero();

            try (Connection conn = DriverManager.getConnection(url, source.db().user(), source.db().password())) {
                conn.createStatement().execute("UPDATE docs SET note = 'changed' WHERE id = 200000");
            }
            Cli differs = Cli.run(List.of("db", "move", "--source", source.url(), "--target", target, "--validate"));
            assertThat(differs.exit()).as(differs.toString()).isNotZero();
            assertThat(differs.out() + differs.err()).contains("public.docs");
        } finally {
            server.stop();
        }
    }
}
