package io.uplift.dbmove.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: what a move must never do to its source. Delete rows a filter left out; drop an index
 * whose definition is not recorded yet; run a statement hidden in a filter or in the target's records.
 */
class MoveSourceSafetyIT {
    private static final List<String> DROPPABLE = List.of("events_at_idx", "events_kind_lower_idx", "events_payload_key_idx");

    @Test
    void issue13_item2_deleteSourceWithAFilterIsRefusedBeforeAnythingHappens() throws Exception {
        TestPostgres.Database source = ExportFixture.source();
        TestPostgres.Database target = TestPostgres.v16().newDatabase();
        List<List<String>> flags = List.of(List.of("--filter", "events=kind <> 'noise'"), List.of("--only-threat-events"),
                List.of("--filter", "events=kind <> 'noise'", "--validate"));
        for (List<String> filter : flags) {
            List<String> args = new java.util.ArrayList<>(List.of("db", "move", "--source", ExportFixture.url(source), "--target",
                    ExportFixture.url(target), "--delete-source", "--yes"));
            args.addAll(filter);
            ExportFixture.Cli run = ExportFixture.Cli.run(args.toArray(String[]::new));
            assertThat(run.exit()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("--delete-source", filter.get(0), "rows left out");
        }
        assertThat(count(source, "SELECT count(*) FROM events")).as("the source keeps every row").isEqualTo(30000);
        assertThat(ExportSafetyIT.tables(target)).as("nothing was moved").isZero();
    }

    @Test
    void issue13_item4_everyDroppedIndexIsRecordedInTheFileAndTheTargetBeforeTheFirstDrop() throws Exception {
        TestPostgres.Database source = ExportFixture.source();
        List<String> before = SourceIndexAndDeleteSourceIT.indexes(source);
        try (Connection c = ExportFixture.connect(source); Statement st = c.createStatement()) {
            // The first DROP INDEX fails: what is recorded at that instant is what a kill right there would leave.
            st.execute("CREATE FUNCTION refuse_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "RAISE EXCEPTION 'the test refuses DROP INDEX'; END $$");
            st.execute("CREATE EVENT TRIGGER refuse_drop ON ddl_command_start WHEN TAG IN ('DROP INDEX') EXECUTE PROCEDURE refuse_drop()");
        }
        TestPostgres.Database target = TestPostgres.v16().newDatabase();
        Path dir = TestPostgres.newTraversableTempDir().resolve("export");
        ExportFixture.Cli failed = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(target), "--drop-source-indexes", "--export-dir", dir.toString(), "--yes");
        assertThat(failed.exit()).as(failed.toString()).isEqualTo(23);
        assertThat(failed.err()).contains("the test refuses DROP INDEX");
        assertThat(SourceIndexAndDeleteSourceIT.indexes(source)).as("no index was dropped").isEqualTo(before);

        Path ddl = dir.resolve("source-indexes.sql");
        assertThat(ddl).isRegularFile();
        String file = Files.readString(ddl);
        String recorded = text(target, "SELECT value FROM uplift_move.info WHERE key = 'dropped-source-indexes'");
        for (String index : DROPPABLE) {
            assertThat(file).containsPattern("CREATE (UNIQUE )?INDEX " + index + " ON").doesNotContain("(none");
            assertThat(recorded).as("the target's record, which a resumed move creates them from").contains(index);
        }
        assertThat(file.lines().filter(l -> l.startsWith("CREATE ")).count()).isEqualTo(3);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ddl))).as("item 10").isEqualTo("rw-------");

        try (Connection c = ExportFixture.connect(source); Statement st = c.createStatement()) {
            st.execute("DROP EVENT TRIGGER refuse_drop");
        }
        ExportFixture.Cli resumed = ExportFixture.Cli.run("db", "move", "--source", ExportFixture.url(source), "--target",
                ExportFixture.url(target), "--drop-source-indexes", "--export-dir", dir.toString(), "--resume", "--yes");
        assertThat(resumed.exit()).as(resumed.toString()).isZero();
        assertThat(SourceIndexAndDeleteSourceIT.indexes(target)).as("the target gets every index").isEqualTo(before);
        assertThat(SourceIndexAndDeleteSourceIT.indexes(source)).hasSize(before.size() - 3);
    }

    @Test
    void issue13_item13_aFilterHidingAStatementRunsNothingOnTheSource() throws Exception {
        TestPostgres.Database source = ExportFixture.source();
        List<String> indexes = SourceIndexAndDeleteSourceIT.indexes(source);
        String filter = "events=true); CREATE TABLE pwn(); SELECT (1";
        // before the snapshot (--drop-source-indexes checks filters first), and on --validate's source session
        for (List<String> extra : List.of(List.of("--drop-source-indexes"), List.of("--validate"), List.<String>of())) {
            TestPostgres.Database target = TestPostgres.v16().newDatabase();
            List<String> args = new java.util.ArrayList<>(List.of("db", "move", "--source", ExportFixture.url(source), "--target",
                    ExportFixture.url(target), "--filter", filter, "--yes"));
            args.addAll(extra);
            ExportFixture.Cli run = ExportFixture.Cli.run(args.toArray(String[]::new));
            assertThat(count(source, "SELECT count(*) FROM pg_class WHERE relname = 'pwn'")).as("no statement ran: " + extra).isZero();
            assertThat(run.exit()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("is not one SQL predicate");
            assertThat(SourceIndexAndDeleteSourceIT.indexes(source)).isEqualTo(indexes);
            assertThat(ExportSafetyIT.tables(target)).isZero();
        }
    }

    @Test
    void issue13_item13_aRangeRecordedInTheTargetIsNeverPastedIntoTheSourcesQueries() throws Exception {
        TestPostgres.Database source = ExportFixture.source();
        TestPostgres.Database target = TestPostgres.v16().newDatabase();
        String[] move = {"db", "move", "--source", ExportFixture.url(source), "--target", ExportFixture.url(target), "--skip-validation",
            "--yes"};
        ExportFixture.Cli first = ExportFixture.Cli.run(move);
        assertThat(first.exit()).as(first.toString()).isZero(); // --skip-validation keeps the move's records in the target
        try (Connection c = ExportFixture.connect(target); Statement st = c.createStatement()) {
            // whoever can write the target rewrites a chunk's range and has it copied again
            st.execute("DELETE FROM \"odd schema\".\"log lines\"");
            st.execute("DELETE FROM uplift_move.chunk WHERE id LIKE 'odd schema.log lines#%'");
            st.execute("UPDATE uplift_move.plan SET range = 'false' WHERE table_name = 'log lines'");
        }
        String[] resume = java.util.Arrays.copyOf(move, move.length + 1);
        resume[move.length] = "--resume";
        ExportFixture.Cli run = ExportFixture.Cli.run(resume);
        assertThat(run.exit()).as(run.toString()).isEqualTo(23);
        assertThat(run.err()).contains("uplift_move.plan", "not one Uplift wrote", "log lines");
        assertThat(count(target, "SELECT count(*) FROM \"odd schema\".\"log lines\"")).isZero();
    }

    private static long count(TestPostgres.Database db, String sql) throws SQLException {
        return Long.parseLong(text(db, sql));
    }

    private static String text(TestPostgres.Database db, String sql) throws SQLException {
        try (Connection c = ExportFixture.connect(db); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }
}
