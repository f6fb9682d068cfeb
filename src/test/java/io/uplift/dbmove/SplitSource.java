package io.uplift.dbmove;

import java.sql.SQLException;
import java.util.List;

/**
 * A source database whose largest table is above the move's 64 MB split threshold (so it is copied in
 * key ranges), with smaller tables, one without a key, indexes, a foreign key, a sequence and a large
 * object: every phase of a move has work to do.
 */
final class SplitSource {
    /** About 80 MB of rows in "big": 360,000 rows of ~230 bytes. */
    static final int BIG_ROWS = 360_000;

    private SplitSource() {}

    static void create(MoveTestDatabase db) throws SQLException {
        db.execute(
                "CREATE TABLE big (id integer PRIMARY KEY, grp integer NOT NULL, pad text NOT NULL)",
                "CREATE INDEX big_grp_idx ON big (grp)",
                "CREATE TABLE medium (id bigint PRIMARY KEY, at timestamptz NOT NULL, payload jsonb NOT NULL)",
                "CREATE INDEX medium_at_idx ON medium (at)",
                "CREATE TABLE tags (id serial PRIMARY KEY, big_id integer NOT NULL REFERENCES big (id), label text)",
                "CREATE TABLE no_key (a integer, b text)",
                "CREATE TABLE files (name text PRIMARY KEY, lo oid NOT NULL)",
                "INSERT INTO big SELECT i, i % 11, repeat(md5(i::text), 6) FROM generate_series(1, " + BIG_ROWS + ") i",
                "INSERT INTO medium SELECT i, timestamptz '2020-01-01 00:00:00+00' + i * interval '1 minute',"
                        + " jsonb_build_object('i', i, 'h', md5(i::text), 'f', i / 7.0) FROM generate_series(1, 100000) i",
                "INSERT INTO tags (big_id, label) SELECT (i * 7) % " + BIG_ROWS + " + 1, 'tag ' || i FROM generate_series(1, 50000) i",
                "INSERT INTO no_key SELECT i % 1000, md5(i::text) FROM generate_series(1, 50000) i",
                "INSERT INTO files VALUES ('blob', lo_from_bytea(0, (SELECT decode(string_agg(md5(i::text), '' ORDER BY i), 'hex')"
                        + " FROM generate_series(1, 200000) i)))",
                "SELECT setval('tags_id_seq', 90000)",
                "ANALYZE");
    }

    /** What must be equal on both sides besides the tables: the sequence, the large object, the index names. */
    static List<String> extras(MoveTestDatabase db) throws SQLException {
        List<String> extras = new java.util.ArrayList<>();
        extras.addAll(db.rows("SELECT 'seq ' || last_value || ' ' || is_called FROM tags_id_seq"));
        extras.addAll(db.rows("SELECT 'lo ' || name || ' ' || md5(lo_get(lo)) FROM files ORDER BY name"));
        extras.addAll(db.rows("SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"));
        extras.addAll(db.rows("SELECT 'constraint ' || conname || ' ' || convalidated FROM pg_constraint"
                + " WHERE connamespace = 'public'::regnamespace ORDER BY 1"));
        return extras;
    }
}
