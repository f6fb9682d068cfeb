package io.uplift.dbmove.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --drop-source-indexes records DDL that recreates the dropped indexes; --delete-source only after a passed validation. */
class SourceIndexAndDeleteSourceIT {

    static List<String> indexes(TestPostgres.Database db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ExportFixture.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT indexdef || coalesce(' -- ' || obj_description((quote_ident(schemaname) || '.' || "
                     + "quote_ident(indexname))::regclass, 'pg_class'), '') FROM pg_indexes "
                     + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void droppedIndexesAreRecordedAsDdlThatRecreatesThemAndTheTargetStillHasThem() throws Exception {
        TestPostgres.Database source = ExportFixture.source();
        List<String> before = indexes(source);
        Map<String, String> sums = ExportFixture.checksums(source);
        TestPostgres.Database target = TestPostgres.v16().newDatabase();
        Path exportDir = TestPostgres.newTraversableTempDir().resolve("export");

        ExportFixture.Cli noTerminal = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(target), "--drop-source-indexes");
        assertThat(noTerminal.exit()).as("no terminal, no --yes").isEqualTo(16);
        assertThat(indexes(source)).isEqualTo(before);

        ExportFixture.Cli run = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(target), "--drop-source-indexes", "--export-dir", exportDir.toString(), "--yes");
        assertThat(run.exit()).as(run.toString()).isZero();
        Path ddl = exportDir.resolve("source-indexes.sql");
        assertThat(run.out()).contains("3 indexes of", "their DDL goes to " + ddl, "Saves", "get slower", "are kept", "Validation passed");

        List<String> after = indexes(source);
        assertThat(after).hasSize(before.size() - 3).noneMatch(i -> i.contains("events_at_idx") || i.contains("events_kind_lower_idx")
                || i.contains("events_payload_key_idx"));
        assertThat(after).anyMatch(i -> i.contains("accounts_pkey")).anyMatch(i -> i.contains("accounts_email_key"));
        assertThat(indexes(target)).as("the target gets every index").isEqualTo(before);
        assertThat(Files.readString(exportDir.resolve("post-data.sql"))).contains("events_kind_lower_idx");

        // The recorded DDL, run on the source, recreates exactly the indexes that were there.
        ProcessBuilder pb = new ProcessBuilder("psql", ExportFixture.url(source), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", ddl.toString())
                .redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(indexes(source)).isEqualTo(before);
        assertThat(ExportFixture.checksums(source)).isEqualTo(sums);

        // an export made with dropped source indexes still imports with them
        TestPostgres.Database imported = TestPostgres.v16().newDatabase();
        ExportFixture.Cli imp = ExportFixture.Cli.run("db", "import", exportDir.toString(), "--target", ExportFixture.url(imported), "--yes");
        assertThat(imp.exit()).as(imp.toString()).isZero();
        assertThat(indexes(imported)).isEqualTo(before);
    }

    @Test
    void deleteSourceDropsTheSourceAfterAPassedValidationOnly() throws Exception {
        TestPostgres.Database source = ExportFixture.source();
        TestPostgres.Database target = TestPostgres.v16().newDatabase();

        ExportFixture.Cli refused = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(target), "--skip-validation", "--delete-source", "--yes");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("--delete-source");
        assertThat(exists(source)).isTrue();

        // validation fails: the target was changed after the move, so --validate --delete-source keeps the source (24)
        ExportFixture.Cli moved = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(target), "--yes");
        assertThat(moved.exit()).as(moved.toString()).isZero();
        try (Connection c = ExportFixture.connect(target); Statement st = c.createStatement()) {
            st.execute("DELETE FROM events WHERE id = 7");
        }
        ExportFixture.Cli failed = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(target), "--validate", "--delete-source", "--yes");
        assertThat(failed.exit()).as(failed.toString()).isEqualTo(24);
        assertThat(exists(source)).isTrue();

        TestPostgres.Database target2 = TestPostgres.v16().newDatabase();
        ExportFixture.Cli deleted = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(target2), "--delete-source", "--yes");
        assertThat(deleted.exit()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("Validation passed", "Deleted: database \"" + source.name() + "\"", "PostgreSQL 10.",
                "4 tables");
        assertThat(exists(source)).isFalse();
    }

    private static boolean exists(TestPostgres.Database db) throws SQLException {
        TestPostgres.Database admin = new TestPostgres.Database(db.jdbcUrl().replaceFirst("/[^/]*$", "/postgres"), db.user(), db.password(),
                "postgres");
        try (Connection c = ExportFixture.connect(admin); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname = '" + db.name() + "'")) {
            rs.next();
            return rs.getInt(1) == 1;
        }
    }
}
