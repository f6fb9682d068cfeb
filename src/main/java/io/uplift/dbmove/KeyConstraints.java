package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Primary keys and unique constraints built as a plain CREATE UNIQUE INDEX, then turned into the
 * constraint with ADD CONSTRAINT ... USING INDEX. The reason is the lock: pg_dump's ADD CONSTRAINT
 * ... PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock, so it waits for the table's other
 * index builds and they wait for it, one after the other; CREATE INDEX takes a SHARE lock, which
 * index builds of the same table share. Measured on the benchmark's events table (PostgreSQL 16,
 * 2 cores): its primary key and its index on occurred_at took 8.8 s one after the other.
 *
 * <p>Only the plain cases take this path: a constraint of a plain table (not partitioned, not a
 * partition), not deferrable, whose index has the constraint's name, no tablespace of its own, and a
 * definition in the form {@code CREATE UNIQUE INDEX name ON schema.table USING ...}. Anything else
 * is left to pg_restore, as before.
 */
final class KeyConstraints {
    /** One constraint: {@code indexTail} is its index definition from "USING" on, e.g. {@code btree (id)}. */
    record Key(String schema, String table, String name, boolean primary, String indexTail) {
        String qualifiedTable() {
            return TableInfo.qualified(schema, table);
        }

        String createIndex() {
            return "CREATE UNIQUE INDEX " + TableInfo.quote(name) + " ON " + qualifiedTable() + " USING " + indexTail;
        }

        String addConstraint() {
            return "ALTER TABLE ONLY " + qualifiedTable() + " ADD CONSTRAINT " + TableInfo.quote(name)
                    + (primary ? " PRIMARY KEY" : " UNIQUE") + " USING INDEX " + TableInfo.quote(name);
        }
    }

    private KeyConstraints() {}

    /** The source's constraints that can take this path, by "schema.table" (names schema-qualified: {@link EmptySearchPath}). */
    static Map<String, List<Key>> read(Connection source) throws SQLException {
        Map<String, List<Key>> byTable = new HashMap<>();
        EmptySearchPath.during(source, () -> {
            try (Statement st = source.createStatement();
                 ResultSet rs = st.executeQuery("SELECT n.nspname, t.relname, k.conname, k.contype = 'p', pg_get_indexdef(k.conindid), "
                         + "format('CREATE UNIQUE INDEX %I ON %I.%I USING ', k.conname, n.nspname, t.relname) "
                         + "FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                         + "JOIN pg_class i ON i.oid = k.conindid "
                         + "WHERE k.contype IN ('p', 'u') AND NOT k.condeferrable AND t.relkind = 'r' AND NOT t.relispartition "
                         + "AND i.relname = k.conname AND i.reltablespace = 0 AND " + Inventory.SYSTEM_SCHEMAS)) {
                while (rs.next()) {
                    String definition = rs.getString(5);
                    String prefix = rs.getString(6);
                    if (definition != null && definition.startsWith(prefix)) {
                        Key key = new Key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4), definition.substring(prefix.length()));
                        byTable.computeIfAbsent(key.schema() + "." + key.table(), k -> new ArrayList<>()).add(key);
                    }
                }
            }
        });
        return byTable;
    }

    /**
     * Builds {@code keys} (all of one table) on the target in one transaction: each index not there
     * yet, then each constraint. One transaction, so a kill leaves either both or neither; and one
     * per table, because two of them each holding their index's SHARE lock while asking for the
     * ACCESS EXCLUSIVE one of ADD CONSTRAINT would deadlock. ADD CONSTRAINT waits for the table's
     * other index builds to end, then takes a moment (the index is there; the key columns are NOT NULL
     * since pre-data). Returns how many it built.
     */
    static int build(Connection target, List<Key> keys) throws SQLException {
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try (Statement st = target.createStatement()) {
            List<Key> missing = new ArrayList<>();
            for (Key key : keys) {
                if (!PostDataList.constraintExists(target, key.schema(), key.table(), key.name())) {
                    missing.add(key);
                }
            }
            for (Key key : missing) {
                if (!indexExists(target, key)) {
                    st.execute(key.createIndex());
                }
            }
            for (Key key : missing) {
                st.execute(key.addConstraint());
            }
            target.commit();
            return missing.size();
        } catch (SQLException | RuntimeException e) {
            target.rollback();
            throw e;
        } finally {
            target.setAutoCommit(autoCommit);
        }
    }

    private static boolean indexExists(Connection target, Key key) throws SQLException {
        return PostDataList.anyRow(target, "SELECT 1 FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                + "JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ? AND t.relname = ? AND i.relname = ? AND x.indisunique "
                + "AND x.indisvalid", key.schema(), key.table(), key.name());
    }
}
