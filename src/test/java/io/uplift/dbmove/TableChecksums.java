package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tests' own checksums, independent of the move's validator: per table (every plain table and
 * leaf partition in user schemas), the row count and the md5 of all rows' text forms, sorted
 * bytewise. Floats (also through a domain) enter as their IEEE bytes (float4send/float8send), float
 * arrays through array_send, since PostgreSQL 10 and 16 print floats differently and numeric cannot
 * hold Infinity on 10; floats inside composites as text with extra_float_digits = 0 (15 digits, the
 * same on both).
 */
final class TableChecksums {
    private TableChecksums() {}

    static Map<String, String> of(MoveTestDatabase db) throws SQLException {
        try (Connection conn = db.connect()) {
            return of(conn);
        }
    }

    static Map<String, String> of(Connection conn) throws SQLException {
        Map<String, String> sums = new TreeMap<>();
        for (String table : tables(conn)) {
            sums.put(table, of(conn, table, ""));
        }
        return sums;
    }

    /** "ROWS md5" of one table (quoted qualified name) with an optional WHERE clause. */
    static String of(Connection conn, String table, String where) throws SQLException {
        try (Statement st = conn.createStatement()) {
            // floats inside composites and arrays of them enter as text: 15 digits print the same on 10 and 16
            st.execute("SET extra_float_digits = 0");
        }
        String row = "ROW(" + String.join(", ", columnExpressions(conn, table)) + ")::text";
        String sql = "SELECT count(*) || ' ' || md5(coalesce(string_agg(r, E'\\n' ORDER BY r COLLATE \"C\"), '')) FROM (SELECT " + row
                + " AS r FROM " + table + " t " + (where.isEmpty() ? "" : "WHERE " + where) + ") s";
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static List<String> tables(Connection conn) throws SQLException {
        return MoveTestDatabase.rows(conn, "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
                + " AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'uplift_move') AND n.nspname NOT LIKE 'pg_toast%'"
                + " AND n.nspname NOT LIKE 'pg_temp%' ORDER BY 1");
    }

    private static List<String> columnExpressions(Connection conn, String table) throws SQLException {
        Map<String, Long> columns = new LinkedHashMap<>();
        String sql = "SELECT quote_ident(a.attname), CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END FROM pg_attribute a"
                + " JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = '" + table.replace("'", "''") + "'::regclass"
                + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                columns.put(rs.getString(1), rs.getLong(2));
            }
        }
        List<String> exprs = new ArrayList<>();
        columns.forEach((name, type) -> exprs.add(type == 700 ? "float4send(t." + name + "::float4)"
                : type == 701 ? "float8send(t." + name + "::float8)"
                : type == 1021 || type == 1022 ? "array_send(t." + name + ")"
                : "t." + name));
        return exprs.isEmpty() ? List.of("''") : exprs;
    }
}
