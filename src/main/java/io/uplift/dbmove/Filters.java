package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Row filters: TABLE=PREDICATE from --filter (any SQL, subqueries allowed), extended along the
 * foreign keys so that a row whose parent was left out is left out too and the target's foreign
 * keys stay valid.
 */
public final class Filters {
    /** The Lockbox preset of the threat-manager document: only events tied to a threat. */
    public static final String ONLY_THREAT_EVENTS = "public.events=EXISTS (SELECT 1 FROM public.event_threats et WHERE et.event_id = events.id)";

    private final Map<String, String> byTable;

    private Filters(Map<String, String> byTable) {
        this.byTable = byTable;
    }

    static Filters none() {
        return new Filters(Map.of());
    }

    /**
     * Checks every predicate against the source (a predicate that does not parse or names unknown
     * columns is refused before anything is created) and closes the set along foreign keys.
     */
    static Filters resolve(Connection source, Map<String, String> given, List<TableInfo> tables) throws SQLException {
        Map<String, TableInfo> known = new HashMap<>();
        tables.forEach(t -> known.put(t.schema() + "." + t.name(), t));
        for (Map.Entry<String, String> e : given.entrySet()) {
            TableInfo t = known.get(e.getKey());
            if (t == null) {
                throw new UpliftException(ErrorCode.USAGE, "--filter names the table " + e.getKey() + ", which the source does not have.");
            }
            String shape = FilterPredicate.problem(e.getValue());
            if (shape != null) {
                throw new UpliftException(ErrorCode.USAGE, "--filter " + e.getKey() + "=" + e.getValue() + " is not one SQL predicate: "
                        + shape + ". Nothing was created; give a single condition on the table's columns, e.g. --filter "
                        + "\"events=occurred_at >= '2023-06-01'\".");
            }
            try {
                explainReadOnly(source, "EXPLAIN SELECT 1 FROM " + t.qualified() + " WHERE (" + e.getValue() + ")");
            } catch (SQLException ex) {
                throw new UpliftException(ErrorCode.USAGE, "--filter " + e.getKey() + "=" + e.getValue() + " is not a valid predicate on "
                        + e.getKey() + ": " + ex.getMessage() + ". Nothing was created; correct the filter.", ex);
            }
        }
        Map<String, String> closed = new LinkedHashMap<>(given);
        List<String[]> keys = foreignKeys(source);
        boolean grew = true;
        for (int round = 0; grew && round < 10; round++) {
            grew = false;
            for (String[] fk : keys) {
                String child = fk[0];
                String parent = fk[1];
                if (!closed.containsKey(parent) || child.equals(parent)) {
                    continue;
                }
                String parentTable = known.get(parent).qualified();
                String childName = TableInfo.quote(known.get(child).name());
                String join = joinCondition(fk[2], fk[3], known.get(parent).name(), childName);
                String condition = "(" + nullCheck(fk[2], childName) + " OR EXISTS (SELECT 1 FROM " + parentTable + " WHERE " + join
                        + " AND (" + closed.get(parent) + ")))";
                String before = closed.get(child);
                if (before == null || !before.contains(condition)) {
                    closed.put(child, before == null ? condition : "(" + before + ") AND " + condition);
                    grew = true;
                }
            }
        }
        return new Filters(Map.copyOf(closed));
    }

    /**
     * EXPLAIN of the operator's predicate, in a READ ONLY transaction whatever state the session is in:
     * the move checks filters before its snapshot too (--drop-source-indexes), on a session that later
     * drops indexes. A session already inside a transaction is the move's snapshot, read-only by then.
     */
    private static void explainReadOnly(Connection source, String sql) throws SQLException {
        boolean autoCommit = source.getAutoCommit();
        try (Statement st = source.createStatement()) {
            st.setEscapeProcessing(false);
            if (autoCommit) {
                source.setAutoCommit(false);
                st.execute("SET TRANSACTION READ ONLY");
            }
            try (ResultSet rs = st.executeQuery("SELECT current_setting('transaction_read_only')")) {
                rs.next();
                if (!"on".equals(rs.getString(1))) {
                    throw new IllegalStateException("a filter must be checked in a read-only transaction on the source");
                }
            }
            st.execute(sql);
        } finally {
            if (autoCommit) {
                source.rollback();
                source.setAutoCommit(true);
            }
        }
    }

    /** Child/parent tables and their column lists, comma-separated, for every foreign key of the source. */
    private static List<String[]> foreignKeys(Connection source) throws SQLException {
        List<String[]> keys = new ArrayList<>();
        String sql = "SELECT cn.nspname || '.' || cc.relname, pn.nspname || '.' || pc.relname, "
                + "(SELECT string_agg(quote_ident(a.attname), ',' ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i) "
                + "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n), "
                + "(SELECT string_agg(quote_ident(a.attname), ',' ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i) "
                + "JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) "
                + "FROM pg_constraint c JOIN pg_class cc ON cc.oid = c.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace "
                + "JOIN pg_class pc ON pc.oid = c.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE c.contype = 'f'";
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                keys.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            }
        }
        return keys;
    }

    private static String joinCondition(String childCols, String parentCols, String parentName, String childName) {
        String[] c = childCols.split(",");
        String[] p = parentCols.split(",");
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < c.length; i++) {
            parts.add(TableInfo.quote(parentName) + "." + p[i] + " = " + childName + "." + c[i]);
        }
        return String.join(" AND ", parts);
    }

    private static String nullCheck(String childCols, String childName) {
        List<String> parts = new ArrayList<>();
        for (String c : childCols.split(",")) {
            parts.add(childName + "." + c + " IS NULL");
        }
        return String.join(" OR ", parts);
    }

    String predicate(TableInfo t) {
        return byTable.getOrDefault(t.schema() + "." + t.name(), "");
    }

    boolean isEmpty() {
        return byTable.isEmpty();
    }
}
