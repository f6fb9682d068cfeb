package io.uplift.dbmove;

import io.uplift.db.ServerVersion;
import io.uplift.db.WorkerPool;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The post-data phase's foreign keys, added NOT VALID and then validated, the tables side by side.
 * pg_dump's ADD CONSTRAINT ... FOREIGN KEY checks the rows under a SHARE ROW EXCLUSIVE lock on both
 * tables, so two foreign keys that reference one table (event_threats to events, attachments to
 * events) or sit on it (events to users) are checked one after the other, a scan of events each.
 * VALIDATE CONSTRAINT checks the same rows under locks that let the others run: SHARE UPDATE
 * EXCLUSIVE on the referencing table, ROW SHARE on the referenced one.
 *
 * <p>Only foreign keys of plain tables that the source holds as validated take this path;
 * partitioned tables cannot have NOT VALID foreign keys, and a key the source left NOT VALID stays
 * so. Each key is added if missing and validated if not valid yet, so a move killed between the two
 * finishes both on --resume; a key left NOT VALID would show as a schema difference.
 */
final class ForeignKeys {
    // "231; 2606 16450 FK CONSTRAINT public events events_user_id_fkey lockbox"
    private static final Pattern ENTRY = Pattern.compile("^\\d+; \\d+ \\d+ FK CONSTRAINT (\\S+) (\\S+) (\\S+) \\S+$");

    /** One foreign key; {@code definition} as pg_get_constraintdef prints it with schema-qualified names. */
    record Key(String schema, String table, String name, String definition, long tableBytes) {
        String qualifiedTable() {
            return TableInfo.qualified(schema, table);
        }
    }

    /** The keys this class builds, and the post-data list without their entries (for pg_restore). */
    record Split(List<Key> keys, String rest) {}

    private ForeignKeys() {}

    /** The source's foreign keys that can take this path, by "schema.table.name". */
    static Map<String, Key> read(Connection source) throws SQLException {
        String notInherited = ServerVersion.of(source).major() >= 11 ? " AND k.conparentid = 0" : ""; // PostgreSQL 10 has no conparentid
        Map<String, Key> keys = new LinkedHashMap<>();
        EmptySearchPath.during(source, () -> {
            try (Statement st = source.createStatement();
                 ResultSet rs = st.executeQuery("SELECT n.nspname, t.relname, k.conname, pg_get_constraintdef(k.oid), pg_table_size(t.oid) "
                         + "FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
                         + "JOIN pg_class r ON r.oid = k.confrelid WHERE k.contype = 'f' AND k.convalidated AND t.relkind = 'r' "
                         + "AND NOT t.relispartition AND r.relkind = 'r'" + notInherited + " AND " + Inventory.SYSTEM_SCHEMAS)) {
                while (rs.next()) {
                    Key key = new Key(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5));
                    keys.put(key.schema() + "." + key.table() + "." + key.name(), key);
                }
            }
        });
        return keys;
    }

    /**
     * Takes the entries of {@code list} (pg_restore -l) that are keys of {@code keys}; the rest is
     * left to pg_restore. Entries whose names this cannot read (spaces) stay with pg_restore.
     */
    static Split split(String list, Map<String, Key> keys) {
        List<Key> taken = new ArrayList<>();
        StringBuilder rest = new StringBuilder();
        for (String line : list.split("\n")) {
            Matcher m = ENTRY.matcher(line.strip());
            Key key = m.matches() ? keys.get(m.group(1) + "." + m.group(2) + "." + m.group(3)) : null;
            if (key != null) {
                taken.add(key);
            } else {
                rest.append(line).append('\n');
            }
        }
        return new Split(List.copyOf(taken), rest.toString());
    }

    /**
     * Adds each missing key NOT VALID (a moment each), then validates them on up to {@code threads}
     * connections at once, one referencing table per connection (two keys of one table would only
     * wait for each other's lock), the largest tables first.
     */
    static void build(PgUrl target, List<Key> keys, int threads) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        Map<String, List<Key>> byTable = new LinkedHashMap<>();
        try (Connection conn = MoveConnections.open(target); Statement st = conn.createStatement()) {
            for (Key key : keys.stream().sorted((a, b) -> Long.compare(b.tableBytes(), a.tableBytes())).toList()) {
                Boolean validated = PostDataList.constraintValidated(conn, key.schema(), key.table(), key.name()); // null: not there yet
                if (validated == null) {
                    st.execute("ALTER TABLE ONLY " + key.qualifiedTable() + " ADD CONSTRAINT " + TableInfo.quote(key.name()) + " "
                            + key.definition() + " NOT VALID");
                }
                if (!Boolean.TRUE.equals(validated)) {
                    byTable.computeIfAbsent(key.schema() + "." + key.table(), k -> new ArrayList<>()).add(key);
                }
            }
        }
        List<Callable<Void>> validations = new ArrayList<>();
        for (List<Key> ofTable : byTable.values()) {
            validations.add(() -> {
                try (Connection conn = MoveConnections.open(target); Statement st = conn.createStatement()) {
                    for (Key key : ofTable) {
                        st.execute("ALTER TABLE ONLY " + key.qualifiedTable() + " VALIDATE CONSTRAINT " + TableInfo.quote(key.name()));
                    }
                }
                return null;
            });
        }
        if (validations.isEmpty()) {
            return;
        }
        try (WorkerPool pool = WorkerPool.start("uplift-move-foreign-keys", Math.max(1, Math.min(threads, validations.size())))) {
            pool.runAllAsThrown(validations);
        } catch (SQLException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while validating foreign keys", e);
        } catch (Exception e) {
            throw new SQLException(e.getMessage(), e);
        }
    }
}
