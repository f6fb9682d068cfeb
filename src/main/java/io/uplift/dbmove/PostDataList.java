package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The post-data entries still to restore. A move killed while pg_restore built indexes resumes
 * with only the entries whose object is not on the target yet, since restoring an existing index
 * or constraint again fails ("already exists").
 */
final class PostDataList {
    // "123; 1259 16400 INDEX public events_occurred_at_idx lockbox" (the tag may hold spaces: "events events_pkey")
    private static final Pattern ENTRY = Pattern.compile("^\\d+; \\d+ \\d+ (FK CONSTRAINT|CONSTRAINT|INDEX|TRIGGER) (\\S+) (.+) (\\S+)$");

    private PostDataList() {}

    static String stillToRestore(String list, Connection target) throws SQLException {
        List<String> keep = new ArrayList<>();
        for (String line : list.split("\n")) {
            if (line.isBlank() || line.startsWith(";")) {
                continue;
            }
            Matcher m = ENTRY.matcher(line.strip());
            if (!m.matches() || !exists(target, m.group(1), m.group(2), m.group(3))) {
                keep.add(line);
            }
        }
        return String.join("\n", keep) + "\n";
    }

    private static boolean exists(Connection target, String type, String schema, String tag) throws SQLException {
        if (type.equals("INDEX")) {
            return anyRow(target, "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?",
                    schema, tag);
        }
        String[] parts = tag.split(" ", 2);
        if (parts.length < 2) {
            return false;
        }
        if (!type.equals("TRIGGER")) {
            return constraintExists(target, schema, parts[0], parts[1]);
        }
        return anyRow(target, "SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = ? AND c.relname = ? AND t.tgname = ?", schema, parts[0], parts[1]);
    }

    /** Whether table {@code schema.table} has a constraint named {@code name}. */
    static boolean constraintExists(Connection target, String schema, String table, String name) throws SQLException {
        return constraintValidated(target, schema, table, name) != null;
    }

    /** Whether the constraint {@code name} of table {@code schema.table} is validated; null if there is none. */
    static Boolean constraintValidated(Connection target, String schema, String table, String name) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT k.convalidated FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ? AND k.conname = ?")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            ps.setString(3, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    /** Whether {@code sql}, with {@code args} as its text parameters, returns a row. */
    static boolean anyRow(Connection conn, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
