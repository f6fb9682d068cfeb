package io.uplift.dbmove;

import io.uplift.api.MoveRequest;
import io.uplift.api.MoveResult;
import io.uplift.api.MoveListener;
import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.Uplift;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A large table without an integer key is cut into block (ctid) ranges so that every worker takes
 * part; its rows land in other blocks on the target, so the check adds the ranges' figures up and
 * compares them with the whole table read back. Real PostgreSQL 10 source, 16 target.
 */
class DatabaseMoveBlockRangesIT {
    private static final String SCHEMA = "CREATE TABLE heap_only (a int, b text, c timestamptz);"
            + "CREATE TABLE small (id int PRIMARY KEY, v text)";
    private static final String DATA = "INSERT INTO heap_only SELECT g, repeat(md5(g::text), 3), "
            + "'2024-01-01 00:00:00+00'::timestamptz + g * interval '1 second' FROM generate_series(1, 560000) g;"
            + "INSERT INTO heap_only SELECT NULL, NULL, NULL FROM generate_series(1, 10);"
            + "INSERT INTO small SELECT g, 'v' || g FROM generate_series(1, 100) g";

    @Test
    void aLargeTableWithoutKeyIsCopiedInBlockRangesAndValidatedWhole() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        MoveTestDatabase target = MoveTestDatabase.on16();
        source.execute(SCHEMA, DATA);
        assertThat(source.longOf("SELECT pg_relation_size('heap_only')")).as("above the 64 MB split threshold").isGreaterThan(66L * 1024 * 1024);
        Map<String, String> sums = TableChecksums.of(source);

        MoveRequest request = MoveRequest.builder().source(source.database("--source")).target(target.database("--target")).threads(2)
                .build();
        MoveResult result = Uplift.moveDatabase(request, MoveListener.NONE).moved();

        assertThat(result.chunks()).as("heap_only in 2 x 2 block ranges on a PostgreSQL 10 source, small whole").isEqualTo(5);
        assertThat(result.differences()).isEmpty();
        assertThat(TableChecksums.of(target)).isEqualTo(sums);
        assertThat(target.longOf("SELECT count(*) FROM heap_only")).isEqualTo(560010);

        assertThat(Uplift.validateMove(request).differences()).as("the independent second look, whole table on both servers").isEmpty();
        target.execute("UPDATE heap_only SET b = 'changed' WHERE a = 77");
        assertThat(Uplift.validateMove(request).differences()).singleElement().asString().startsWith("public.heap_only#1/1: source 560010 rows");
    }

    @Test
    void aResumedMoveCopiesByThePlanOfItsFirstRun() throws Exception {
        MoveTestDatabase target = MoveTestDatabase.on16();
        try (Connection t = MoveConnections.open(target.pgUrl())) {
            MoveProgress.create(t, "test");
            TableInfo table = new TableInfo("public", "heap_only", List.of("\"a\""), 100L << 20, true, null);
            List<Chunk> first = List.of(new Chunk(table, 1, 2, "ctid < '(500,0)'::tid"), new Chunk(table, 2, 2, "ctid >= '(500,0)'::tid"));
            List<Chunk> later = List.of(new Chunk(table, 1, 2, "ctid < '(400,0)'::tid"), new Chunk(table, 2, 2, "ctid >= '(400,0)'::tid"));

            assertThat(MoveProgress.plan(t, first, List.of(table))).isEqualTo(first);
            assertThat(MoveProgress.plan(t, later, List.of(table))).as("the recorded plan, not the new cut").isEqualTo(first);

            TableInfo added = new TableInfo("public", "added", List.of("\"a\""), 1, true, null);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> MoveProgress.plan(t, later, List.of(table, added)))
                    .hasMessageContaining("added").hasMessageContaining("the source changed");
        }
    }
}
