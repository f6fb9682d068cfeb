package io.uplift.dbmove;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Primary keys and unique constraints built as unique indexes first (PostgreSQL 10 source, 16
 * target): the same constraints and indexes as the source's, the plain cases only, nothing built
 * twice, the source connection's search_path left as it was, and the index itself built while
 * another session holds the SHARE lock another index build takes (pg_dump's ADD CONSTRAINT ...
 * PRIMARY KEY would wait for it before building anything).
 */
class KeyConstraintsIT {
    private static final String SCHEMA = "CREATE SCHEMA \"Odd schema\";"
            + "CREATE TABLE \"Odd schema\".\"my \"\"table\"\"\" (id bigint PRIMARY KEY, code text NOT NULL, "
            + "  CONSTRAINT \"code is unique\" UNIQUE (code) WITH (fillfactor = 70));"
            + "CREATE TABLE pairs (a int NOT NULL, b int NOT NULL, c int, PRIMARY KEY (b, a), UNIQUE (c, a));"
            + "CREATE TABLE later (id int PRIMARY KEY, slot int UNIQUE DEFERRABLE INITIALLY DEFERRED);"
            + "CREATE TABLE parted (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);"
            + "CREATE TABLE parted_2026 PARTITION OF parted (PRIMARY KEY (id)) FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')";
    /** The same tables as pg_dump's pre-data makes them: no keys yet, their columns NOT NULL. */
    private static final String TARGET_SCHEMA = "CREATE SCHEMA \"Odd schema\";"
            + "CREATE TABLE \"Odd schema\".\"my \"\"table\"\"\" (id bigint NOT NULL, code text NOT NULL);"
            + "CREATE TABLE pairs (a int NOT NULL, b int NOT NULL, c int);"
            + "CREATE TABLE later (id int NOT NULL, slot int)";

    @Test
    void plainKeysAreReadAndDeferrableOrPartitionKeysAreLeftToPgRestore() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        source.execute(SCHEMA);
        try (Connection conn = source.connect()) {
            String before = searchPath(conn);
            Map<String, List<KeyConstraints.Key>> keys = KeyConstraints.read(conn);

            assertThat(searchPath(conn)).isEqualTo(before);
            assertThat(keys.keySet()).containsExactlyInAnyOrder("Odd schema.my \"table\"", "public.pairs", "public.later");
            assertThat(keys.get("public.later")).extracting(KeyConstraints.Key::name).containsExactly("later_pkey");
            assertThat(keys.get("public.pairs")).extracting(KeyConstraints.Key::indexTail)
                    .containsExactlyInAnyOrder("btree (b, a)", "btree (c, a)");
            assertThat(keys.get("Odd schema.my \"table\"")).extracting(KeyConstraints.Key::createIndex).contains(
                    "CREATE UNIQUE INDEX \"code is unique\" ON \"Odd schema\".\"my \"\"table\"\"\" USING btree (code) WITH (fillfactor='70')");
        }
    }

    @Test
    void theTargetGetsTheSourcesConstraintsAndIndexesAndABuildAgainChangesNothing() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        MoveTestDatabase target = MoveTestDatabase.on16();
        source.execute(SCHEMA);
        target.execute(TARGET_SCHEMA);
        target.execute("INSERT INTO pairs SELECT g, g * 2, g FROM generate_series(1, 1000) g");
        Map<String, List<KeyConstraints.Key>> keys;
        try (Connection conn = source.connect()) {
            keys = KeyConstraints.read(conn);
        }
        try (Connection conn = target.connect()) {
            int built = 0;
            for (List<KeyConstraints.Key> ofTable : keys.values()) {
                built += KeyConstraints.build(conn, ofTable);
            }
            assertThat(built).isEqualTo(5);
            for (List<KeyConstraints.Key> ofTable : keys.values()) {
                assertThat(KeyConstraints.build(conn, ofTable)).isZero();
            }
        }
        TreeSet<String> expected = keyDefinitions(source);
        expected.remove("later later_slot_key UNIQUE (slot) DEFERRABLE INITIALLY DEFERRED");
        expected.removeIf(d -> d.startsWith("parted_2026 "));
        assertThat(keyDefinitions(target)).isEqualTo(expected).hasSize(10);
        assertThat(target.longOf("SELECT count(*) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                + "WHERE i.relname = 'pairs_pkey' AND x.indisprimary AND x.indisunique AND x.indisvalid")).isEqualTo(1);
    }

    @Test
    void theUniqueIndexIsBuiltWhileAnotherIndexBuildHoldsItsShareLock() throws Exception {
        MoveTestDatabase source = MoveTestDatabase.on10();
        MoveTestDatabase target = MoveTestDatabase.on16();
        source.execute("CREATE TABLE t (id int PRIMARY KEY, v int)");
        target.execute("CREATE TABLE t (id int NOT NULL, v int)", "INSERT INTO t SELECT g, g FROM generate_series(1, 10000) g");
        List<KeyConstraints.Key> keys;
        try (Connection conn = source.connect()) {
            keys = KeyConstraints.read(conn).get("public.t");
        }
        try (Connection other = target.connect(); Connection conn = target.connect()) {
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                st.execute("CREATE INDEX t_v ON t (v)"); // holds SHARE on t until its commit, as a running build does
            }
            Thread build = new Thread(() -> {
                try {
                    KeyConstraints.build(conn, keys);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            build.start();
            // ADD CONSTRAINT waits for the other build; CREATE UNIQUE INDEX did not: the index is built, in the open transaction.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (target.longOf("SELECT count(*) FROM pg_locks WHERE NOT granted AND mode = 'AccessExclusiveLock' "
                    + "AND relation = 't'::regclass") == 0) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(target.longOf("SELECT count(*) FROM pg_locks s JOIN pg_locks x ON x.pid = s.pid WHERE s.relation = 't'::regclass "
                    + "AND s.mode = 'ShareLock' AND s.granted AND x.relation = 't'::regclass AND x.mode = 'AccessExclusiveLock' AND NOT x.granted"))
                    .as("the key's session holds the SHARE lock of its finished CREATE UNIQUE INDEX and waits for ADD CONSTRAINT's").isEqualTo(1);
            other.commit();
            build.join(30_000);
            assertThat(build.isAlive()).isFalse();
        }
        assertThat(keyDefinitions(target)).containsExactly("index CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)", "t t_pkey PRIMARY KEY (id)");
    }

    private static String searchPath(Connection conn) throws Exception {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SHOW search_path")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** "table constraint definition" and the index definitions of every key constraint, per table. */
    private static TreeSet<String> keyDefinitions(MoveTestDatabase db) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        try (Connection conn = db.connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT t.relname, k.conname, pg_get_constraintdef(k.oid), pg_get_indexdef(k.conindid) "
                     + "FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                     + "WHERE k.contype IN ('p', 'u') AND n.nspname NOT IN ('pg_catalog', 'information_schema')")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
                out.add("index " + rs.getString(4).replaceFirst(" ON (ONLY )?", " ON "));
            }
        }
        out.removeIf(d -> d.startsWith("index ") && (d.contains("later_slot_key") || d.contains("parted")));
        return out;
    }
}
