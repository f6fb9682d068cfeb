package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.MoveListener;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The check a chunk gets as it is copied (figures of the rows as the PostgreSQL 10 source sent them
 * and as the PostgreSQL 16 target gives them back, before the commit), against real servers: equal
 * for a faithful copy in both COPY formats, different when the target stores something else.
 */
class ChunkCheckIT {
    private static final String SCHEMA = "CREATE TYPE pair AS (a int, b float8);"
            + "CREATE TABLE plain (id bigint PRIMARY KEY, t text, f float8, n numeric, j jsonb, ts timestamptz, b bytea, a int[]);"
            + "CREATE TABLE composite (id int PRIMARY KEY, p pair, f float4)";
    private static final String DATA = "INSERT INTO plain SELECT g, CASE WHEN g % 5 = 0 THEN NULL ELSE 'row ' || g END, g / 7.0, g * 1.25, "
            + "jsonb_build_object('g', g, 'x', ARRAY[g, g + 1]), '2020-01-01 00:00:00+00'::timestamptz + g * interval '1 minute', "
            + "decode(md5(g::text), 'hex'), ARRAY[g, -g] FROM generate_series(1, 5000) g;"
            + "INSERT INTO composite SELECT g, ROW(g, g / 3.0)::pair, g / 9.0 FROM generate_series(1, 500) g";

    @Test
    void aFaithfulCopyHasEqualFiguresInBinaryAndTextFormat() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        MoveTestDatabase target = MoveTestDatabase.on16();
        source.execute(SCHEMA, DATA);
        target.execute(SCHEMA);

        ChunkCopier.Figures plain = copy(source, target, "plain", "id >= 1000 AND id < 3000");
        assertThat(plain.source()).startsWith("2000:").isEqualTo(plain.target());

        ChunkCopier.Figures composite = copy(source, target, "composite", "");
        assertThat(composite.source()).startsWith("500:").isEqualTo(composite.target());
    }

    @Test
    void aTargetThatStoresSomethingElseHasOtherFigures() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        MoveTestDatabase target = MoveTestDatabase.on16();
        source.execute(SCHEMA, DATA);
        target.execute(SCHEMA, "CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.id = 1501 THEN NEW.t := upper(NEW.t); END IF; RETURN NEW; END $$",
                "CREATE TRIGGER shout BEFORE INSERT ON plain FOR EACH ROW EXECUTE FUNCTION shout()",
                "CREATE FUNCTION drop_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.id = 7 THEN RETURN NULL; END IF; RETURN NEW; END $$",
                "CREATE TRIGGER drop_one BEFORE INSERT ON composite FOR EACH ROW EXECUTE FUNCTION drop_one()");

        ChunkCopier.Figures changed = copy(source, target, "plain", "id >= 1000 AND id < 3000");
        assertThat(target.stringOf("SELECT t FROM plain WHERE id = 1501")).isEqualTo("ROW 1501");
        assertThat(changed.source()).startsWith("2000:");
        assertThat(changed.target()).startsWith("2000:").isNotEqualTo(changed.source());

        ChunkCopier.Figures lost = copy(source, target, "composite", "");
        assertThat(lost.source()).startsWith("500:");
        assertThat(lost.target()).startsWith("499:");
    }

    @Test
    void aTableCutInSeveralChunksIsReadBackWholeOnceItsChunksAreIn() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        MoveTestDatabase target = MoveTestDatabase.on16();
        source.execute(SCHEMA, DATA);
        target.execute(SCHEMA);

        ChunkCopier.Figures first = copy(source, target, "plain", "id < 2500", 1, 2);
        ChunkCopier.Figures second = copy(source, target, "plain", "id >= 2500", 2, 2);
        assertThat(first.source()).startsWith("2499:");
        assertThat(second.source()).startsWith("2501:");
        assertThat(first.target()).as("read back with the whole table, not before the chunk's commit").isNull();
        assertThat(second.target()).isNull();
        String sent = RowChecksum.add(first.source(), second.source());

        try (Connection t = MoveConnections.open(target.pgUrl()); Connection s = MoveConnections.open(source.pgUrl())) {
            TableInfo plain = Inventory.read(s).tables().stream().filter(x -> x.name().equals("plain")).findFirst().orElseThrow();
            assertThat(TableChecks.read(t, plain)).isEqualTo(sent);
            // PostgreSQL 16 reads block-range pieces side by side; together they are the whole table, each row once.
            String pieces = RowChecksum.NOTHING;
            for (int i = 0; i < 3; i++) {
                String piece = TableChecks.readPiece(t, plain, i, 3);
                assertThat(piece).as("piece " + i).doesNotStartWith("0:");
                pieces = RowChecksum.add(pieces, piece);
            }
            assertThat(pieces).isEqualTo(sent);
            // PostgreSQL 10 has no TID range scan: piece 0 is the whole table, the others nothing.
            assertThat(TableChecks.readPiece(s, plain, 0, 3)).isEqualTo(sent);
            assertThat(TableChecks.readPiece(s, plain, 2, 3)).isEqualTo(RowChecksum.NOTHING);

            // plain has a jsonb column: it is checked by its jsonb_hash, which a changed value changes too.
            assertThat(plain.jsonb()).containsExactly(4);
            target.execute("UPDATE plain SET j = jsonb_set(j, '{x,1}', '0') WHERE id = 17");
            assertThat(TableChecks.read(t, plain)).startsWith("5000:").isNotEqualTo(sent);
            target.execute("UPDATE plain SET j = jsonb_set(j, '{x,1}', to_jsonb(18)) WHERE id = 17");
            assertThat(TableChecks.read(t, plain)).isEqualTo(sent);

            target.execute("UPDATE plain SET n = n + 1 WHERE id = 4321");
            assertThat(TableChecks.read(t, plain)).startsWith("5000:").isNotEqualTo(sent);
        }
    }

    /**
     * On a target the move created, a table cut in chunks whose load could change nothing but its
     * jsonb values is counted there (rows, their transactions, the jsonb hash sums) instead of read
     * back; the count tells a faithful load from rows added, removed or changed by anyone else, and
     * a table whose load could change rows (a trigger, a type COPY rewrites) is read back whole.
     */
    @Test
    void aTableTheLoadCannotChangeIsCountedOnTheTargetAndAnyOtherWriterShows() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        MoveTestDatabase target = MoveTestDatabase.on16();
        String kept = "CREATE TABLE kept (id bigint PRIMARY KEY, t text, j jsonb, k jsonb, b bytea, ts timestamptz, ip inet)";
        source.execute(SCHEMA, DATA, kept, "INSERT INTO kept SELECT g, 'row ' || g, jsonb_build_object('g', g, 'x', ARRAY[g, g * 1.5]), "
                + "CASE WHEN g % 3 = 0 THEN NULL ELSE jsonb_build_array(g, 'y') END, decode(md5(g::text), 'hex'), "
                + "'2020-01-01 00:00:00+00'::timestamptz + g * interval '1 second', '10.0.0.1'::inet + g FROM generate_series(1, 6000) g");
        target.execute(SCHEMA, kept);

        try (Connection s = MoveConnections.open(source.pgUrl()); Connection t = MoveConnections.open(target.pgUrl())) {
            TableInfo keptTable = table(s, "kept");
            TableInfo plainTable = table(s, "plain");
            List<Chunk> chunks = List.of(new Chunk(keptTable, 1, 2, "id < 3001"), new Chunk(keptTable, 2, 2, "id >= 3001"),
                    new Chunk(plainTable, 1, 2, "id < 2500"), new Chunk(plainTable, 2, 2, "id >= 2500"));
            LoadProof proof = LoadProof.forOwnTarget(chunks);
            copy(source, target, chunks.get(0), proof);
            assertThat(proof.applies(keptTable)).as("one chunk of two loaded").isFalse();
            copy(source, target, chunks.get(1), proof);
            copy(source, target, chunks.get(2), proof);
            copy(source, target, chunks.get(3), proof);

            assertThat(proof.applies(plainTable)).as("numeric and int[] are stored in another form than sent").isFalse();
            assertThat(proof.applies(keptTable)).isTrue();
            LoadProof.Counted expected = proof.expected(keptTable);
            assertThat(expected.rows()).isEqualTo(6000);
            assertThat(expected.jsonbSums()).as("the source's jsonb hashes as the rows passed")
                    .containsExactly(source.longOf("SELECT sum(jsonb_hash(j)) FROM kept"), source.longOf("SELECT sum(jsonb_hash(k)) FROM kept"));
            assertThat(proof.sentFigure(keptTable)).isEqualTo(TableChecks.read(t, keptTable)).startsWith("6000:");
            long[] xids = proof.transactions(keptTable);
            assertThat(xids).hasSize(2);
            LoadProof.Counted whole = counted(t, keptTable, xids);
            assertThat(LoadProof.holds(expected, whole)).as(whole.toString()).isTrue();
            assertThat(whole.foreign()).isZero();

            // As the move uses it: counted once the table is ready (its rows in; in a move, its indexes built too), the figure of the rows sent when the count holds.
            List<String> phases = new java.util.concurrent.CopyOnWriteArrayList<>();
            MoveListener recording = new MoveListener() {
                @Override
                public void phase(String text) {
                    phases.add(text);
                }
            };
            TableChecks checks = new TableChecks(recording, target.pgUrl(), 2, List.of(keptTable), proof);
            checks.tableCopied(keptTable.label(), 6000, 0, Duration.ZERO);
            assertThat(checks.counted()).containsExactly(keptTable);
            assertThat(checks.countHeld()).as("not asked yet").isEmpty();
            assertThat(checks.figure(t, keptTable)).isEqualTo(proof.sentFigure(keptTable));
            assertThat(checks.countHeld()).containsExactly(keptTable);
            assertThat(phases).isEmpty();
            checks.abandon();

            target.execute("UPDATE kept SET t = 'changed' WHERE id = 4000");
            TableChecks after = new TableChecks(recording, target.pgUrl(), 2, List.of(keptTable), proof);
            after.tableCopied(keptTable.label(), 6000, 0, Duration.ZERO);
            assertThat(after.figure(t, keptTable)).as("read back whole, to report what the target holds")
                    .startsWith("6000:").isNotEqualTo(proof.sentFigure(keptTable)).isEqualTo(TableChecks.read(t, keptTable));
            assertThat(phases).singleElement().asString()
                    .contains("kept on the new server holds 6000 rows (6000 sent), 1 written by another transaction, jsonb hash sums equal");
            assertThat(after.counted()).containsExactly(keptTable);
            assertThat(after.countHeld()).as("read back after all: the last line must not say it was counted").isEmpty();
            after.abandon();
            LoadProof.Counted updated = counted(t, keptTable, xids);
            assertThat(updated.rows()).isEqualTo(6000);
            assertThat(updated.foreign()).as("a row another transaction rewrote").isEqualTo(1);
            assertThat(LoadProof.holds(expected, updated)).isFalse();

            target.execute("DELETE FROM kept WHERE id = 4000");
            LoadProof.Counted deleted = counted(t, keptTable, xids);
            assertThat(deleted.rows()).isEqualTo(5999);
            assertThat(deleted.foreign()).isZero();
            assertThat(LoadProof.holds(expected, deleted)).isFalse();

            long[] otherSums = expected.jsonbSums().clone();
            otherSums[1] += 1;
            assertThat(LoadProof.holds(new LoadProof.Counted(5999, 0, otherSums), new LoadProof.Counted(5999, 0, expected.jsonbSums())))
                    .as("a jsonb value stored otherwise than sent").isFalse();
        }

        // A trigger on the target (which a move's own new server never has while rows go in) could change rows: read back.
        MoveTestDatabase triggered = MoveTestDatabase.on16();
        triggered.execute(SCHEMA, kept, "CREATE FUNCTION keep() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                "CREATE TRIGGER keep BEFORE INSERT ON kept FOR EACH ROW EXECUTE FUNCTION keep()");
        try (Connection s = MoveConnections.open(source.pgUrl())) {
            TableInfo keptTable = table(s, "kept");
            Chunk only = new Chunk(keptTable, 1, 2, "id < 3001");
            LoadProof proof = LoadProof.forOwnTarget(List.of(only, new Chunk(keptTable, 2, 2, "id >= 3001")));
            copy(source, triggered, only, proof);
            copy(source, triggered, new Chunk(keptTable, 2, 2, "id >= 3001"), proof);
            assertThat(proof.applies(keptTable)).isFalse();
        }
    }

    private static TableInfo table(Connection conn, String name) throws Exception {
        return Inventory.read(conn).tables().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    /** The table counted in 3 block ranges, side by side as the move does, added up. */
    private static LoadProof.Counted counted(Connection t, TableInfo table, long[] xids) throws Exception {
        LoadProof.Counted sum = LoadProof.Counted.nothing(table.jsonb().size());
        for (int i = 0; i < 3; i++) {
            sum = sum.plus(TableChecks.countPiece(t, table, i, 3, xids));
        }
        LoadProof.Counted once = LoadProof.count(t, table, "", xids);
        assertThat(once.rows()).isEqualTo(sum.rows());
        assertThat(once.jsonbSums()).isEqualTo(sum.jsonbSums());
        return sum;
    }

    private static void copy(MoveTestDatabase source, MoveTestDatabase target, Chunk chunk, LoadProof proof) throws Exception {
        try (Connection s = MoveConnections.inSnapshot(source.pgUrl(), null); Connection t = MoveConnections.open(target.pgUrl())) {
            if (!MoveProgress.exists(t)) {
                MoveProgress.create(t, "test");
            }
            t.setAutoCommit(false);
            ChunkCopier.copy(chunk, "", s, t, ChunkCopier.Tee.NONE, n -> { }, true, proof);
            s.commit();
        }
    }

    private static ChunkCopier.Figures copy(MoveTestDatabase source, MoveTestDatabase target, String table, String range) throws Exception {
        return copy(source, target, table, range, 1, 1);
    }

    /** Copies chunk {@code index} of {@code of} of {@code table} with the check on, and returns the figures recorded with it. */
    private static ChunkCopier.Figures copy(MoveTestDatabase source, MoveTestDatabase target, String table, String range, int index, int of)
            throws Exception {
        try (Connection s = MoveConnections.inSnapshot(source.pgUrl(), null); Connection t = MoveConnections.open(target.pgUrl())) {
            if (!MoveProgress.exists(t)) {
                MoveProgress.create(t, "test");
            }
            t.setAutoCommit(false);
            TableInfo info = Inventory.read(s).tables().stream().filter(x -> x.name().equals(table)).findFirst().orElseThrow();
            assertThat(info.binary()).isEqualTo(!table.equals("composite"));
            Chunk chunk = new Chunk(info, index, of, range);
            ChunkCopier.copy(chunk, "", s, t, ChunkCopier.Tee.NONE, n -> { }, true);
            s.commit();
            t.setAutoCommit(true);
            ChunkCopier.Figures f = MoveProgress.checkedChunks(t).get(chunk.id());
            assertThat(f).as("figures recorded with " + chunk.id()).isNotNull();
            assertThat(java.util.stream.Stream.of(f.source(), f.target()).filter(java.util.Objects::nonNull))
                    .allMatch(x -> x.matches("\\d+:[0-9a-f]+|\\d+:-?\\d+"));
            return f;
        }
    }
}
