package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** When a table is counted on its own new server instead of read back, and what the count must show (real servers: ChunkCheckIT). */
class LoadProofTest {
    private static final TableInfo EVENTS = new TableInfo("public", "events", List.of("\"id\"", "\"payload\""), 1, true, "\"id\"", List.of(1));
    private static final TableInfo USERS = new TableInfo("public", "users", List.of("\"id\""), 1, true, "\"id\"");
    private static final List<Chunk> CHUNKS = List.of(new Chunk(EVENTS, 1, 2, "id < 10"), new Chunk(EVENTS, 2, 2, "id >= 10"),
            new Chunk(USERS, 1, 1, ""));

    private static LoadProof.ChunkLoad load(long xid, long copied, long sent, String figure, long hashSum, boolean kept) {
        return new LoadProof.ChunkLoad(xid, copied, sent, figure, new long[] {hashSum}, kept);
    }

    @Test
    void aTableCountsOnlyOnceEveryChunkOfItWasLoadedByThisRunAsSent() {
        LoadProof proof = LoadProof.forOwnTarget(CHUNKS);
        assertThat(proof.covers(USERS)).as("a table of one chunk is read back in its chunk's transaction").isFalse();
        assertThat(proof.covers(EVENTS)).isTrue();

        proof.committed(CHUNKS.get(0), load(700, 9, 9, "9:a", 5, true));
        assertThat(proof.applies(EVENTS)).as("one chunk of two: the other may be an earlier run's").isFalse();
        proof.committed(CHUNKS.get(1), load(701, 4, 4, "4:b", -7, true));
        assertThat(proof.applies(EVENTS)).isTrue();

        assertThat(proof.expected(EVENTS).rows()).isEqualTo(13);
        assertThat(proof.expected(EVENTS).jsonbSums()).containsExactly(-2);
        assertThat(proof.sentFigure(EVENTS)).isEqualTo(RowChecksum.add("9:a", "4:b"));
        assertThat(proof.transactions(EVENTS)).containsExactly(700, 701);
    }

    @Test
    void aChunkWhoseLoadCouldChangeRowsOrWhoseCountDiffersSendsTheTableToTheReadBack() {
        LoadProof changing = LoadProof.forOwnTarget(CHUNKS);
        changing.committed(CHUNKS.get(0), load(700, 9, 9, "9:a", 5, true));
        changing.committed(CHUNKS.get(1), load(701, 4, 4, "4:b", 1, false));
        assertThat(changing.applies(EVENTS)).as("a trigger, a rule, a generated column or a type stored otherwise").isFalse();

        LoadProof short1 = LoadProof.forOwnTarget(CHUNKS);
        short1.committed(CHUNKS.get(0), load(700, 8, 9, "9:a", 5, true));
        short1.committed(CHUNKS.get(1), load(701, 4, 4, "4:b", 1, true));
        assertThat(short1.applies(EVENTS)).as("COPY stored fewer rows than the source sent").isFalse();

        assertThat(LoadProof.NONE.covers(EVENTS)).isFalse();
        assertThat(LoadProof.NONE.applies(EVENTS)).isFalse();
    }

    @Test
    void theTargetsCountHoldsOnlyWithEveryRowNoForeignOneAndTheSameHashes() {
        LoadProof.Counted expected = new LoadProof.Counted(13, 0, new long[] {-2});
        assertThat(LoadProof.holds(expected, new LoadProof.Counted(13, 0, new long[] {-2}))).isTrue();
        assertThat(LoadProof.holds(expected, new LoadProof.Counted(12, 0, new long[] {-2}))).as("a row missing").isFalse();
        assertThat(LoadProof.holds(expected, new LoadProof.Counted(14, 0, new long[] {-2}))).as("a row added").isFalse();
        assertThat(LoadProof.holds(expected, new LoadProof.Counted(13, 1, new long[] {-2}))).as("a row another transaction wrote").isFalse();
        assertThat(LoadProof.holds(expected, new LoadProof.Counted(13, 0, new long[] {3}))).as("a jsonb value stored otherwise").isFalse();

        LoadProof.Counted a = new LoadProof.Counted(2, 0, new long[] {5});
        assertThat(a.plus(new LoadProof.Counted(3, 1, new long[] {-1}))).satisfies(c -> {
            assertThat(c.rows()).isEqualTo(5);
            assertThat(c.foreign()).isEqualTo(1);
            assertThat(c.jsonbSums()).containsExactly(4);
        });
    }
}
