package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** What the source holds that the move copies itself: table rows, sequence values, large objects. */
public record Inventory(List<TableInfo> tables, List<String> sequences, long largeObjects) {
    /** Objects of these schemas are never user data; uplift_move is the move's own bookkeeping. */
    static final String SYSTEM_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema', 'uplift_move') "
            + "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";
    private static final String NOT_IN_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass "
            + "AND d.objid = c.oid AND d.deptype = 'e')";

    static Inventory read(Connection conn) throws SQLException {
        List<TableInfo> tables = new ArrayList<>();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT c.oid, n.nspname, c.relname, pg_relation_size(c.oid) "
                     + "+ coalesce(pg_relation_size(NULLIF(c.reltoastrelid, 0)), 0) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind = 'r' AND " + SYSTEM_SCHEMAS + " AND " + NOT_IN_EXTENSION + " ORDER BY 4 DESC, 2, 3")) {
            while (rs.next()) {
                tables.add(table(conn, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
            }
        }
        List<String> sequences = new ArrayList<>();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     + "WHERE c.relkind = 'S' AND " + SYSTEM_SCHEMAS + " AND " + NOT_IN_EXTENSION + " ORDER BY 1, 2")) {
            while (rs.next()) {
                sequences.add(TableInfo.quote(rs.getString(1)) + "." + TableInfo.quote(rs.getString(2)));
            }
        }
        long largeObjects;
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_largeobject_metadata")) {
            rs.next();
            largeObjects = rs.getLong(1);
        }
        return new Inventory(List.copyOf(tables), List.copyOf(sequences), largeObjects);
    }

    private static final long JSONB = 3802; // pg_type oid of jsonb, the same on every server

    private static TableInfo table(Connection conn, long oid, String schema, String name, long bytes) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<Integer> jsonb = new ArrayList<>();
        boolean binary = true;
        try (PreparedStatement ps = conn.prepareStatement("SELECT a.attname, a.atttypid, t.typtype, t.typelem, e.typtype, "
                + "coalesce(e.oid, 0) FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                + "LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typelem <> 0 "
                + "WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(2) == JSONB) {
                        jsonb.add(columns.size());
                    }
                    columns.add(TableInfo.quote(rs.getString(1)));
                    boolean composite = "c".equals(rs.getString(3)) || "c".equals(rs.getString(5));
                    boolean userArray = rs.getLong(4) != 0 && rs.getLong(6) >= 16384;
                    binary &= !composite && !userArray;
                }
            }
        }
        String intKey = null;
        try (PreparedStatement ps = conn.prepareStatement("SELECT a.attname FROM pg_index i JOIN pg_attribute a "
                + "ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] WHERE i.indrelid = ? AND i.indisprimary "
                + "AND i.indnatts = 1 AND a.atttypid IN (20, 21, 23)")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    intKey = TableInfo.quote(rs.getString(1));
                }
            }
        }
        return new TableInfo(schema, name, List.copyOf(columns), bytes, binary, intKey, List.copyOf(jsonb));
    }

    long totalBytes() {
        return tables.stream().mapToLong(TableInfo::bytes).sum();
    }
}
