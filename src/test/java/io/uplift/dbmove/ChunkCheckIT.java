package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
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
