package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.TreeSet;

/**
 * The schema as a sorted set of lines (columns and their types, indexes, constraints, triggers,
 * views, sequences, functions, enum labels), read from the catalogs of either server, so that
 * source and target compare line by line. Owners, privileges and the text of view bodies are
 * left out: the move does not carry the first two, and servers print the third differently.
 */
final class SchemaFingerprint {
    private static final String USER_NS = "n.nspname NOT IN ('pg_catalog', 'information_schema', '" + MoveProgress.SCHEMA + "') "
            + "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";

    private static final List<String> QUERIES = List.of(
            "SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) "
                    + "|| CASE WHEN a.attnotnull THEN ' not null' ELSE '' END "
                    + "|| coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '') "
                    + "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                    + "WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND " + USER_NS,
            "SELECT 'relation ' || c.relkind::text || ' ' || n.nspname || '.' || c.relname FROM pg_class c "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND " + USER_NS,
            "SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_NS,
            "SELECT 'constraint ' || n.nspname || '.' || c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) "
                    + "FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_NS,
            "SELECT 'trigger ' || n.nspname || '.' || c.relname || ' ' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                    + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal AND " + USER_NS,
            "SELECT 'function ' || n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' "
                    + "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE " + USER_NS
                    + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
            "SELECT 'enum ' || n.nspname || '.' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) "
                    + "FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace "
                    + "WHERE " + USER_NS + " GROUP BY n.nspname, t.typname",
            "SELECT 'domain ' || n.nspname || '.' || t.typname || ' ' || format_type(t.typbasetype, t.typtypmod) FROM pg_type t "
                    + "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd' AND " + USER_NS);

    private SchemaFingerprint() {}

    static TreeSet<String> of(Connection conn) throws SQLException {
        TreeSet<String> lines = new TreeSet<>();
        try (Statement st = conn.createStatement()) {
            for (String q : QUERIES) {
                try (ResultSet rs = st.executeQuery(q)) {
                    while (rs.next()) {
                        lines.add(rs.getString(1));
                    }
                }
            }
        }
        return lines;
    }
}
