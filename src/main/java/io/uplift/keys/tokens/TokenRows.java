package io.uplift.keys.tokens;

import io.uplift.api.AppToken;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.TokenTable;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The SQL on the product's token table, written from the catalog's declaration: Uplift knows no
 * product's schema, only the columns product.yaml names. The names are plain lower-case identifiers
 * (the catalog loader refuses others), so they go into statements as they are.
 */
final class TokenRows {
    /** A row as read for a change: enough to pick it and copy it. */
    record Row(String name, String format, String hash, String description, String scope) {}

    private final TokenTable t;

    TokenRows(TokenTable table) {
        this.t = table;
    }

    /**
     * Checks that the table and every declared column exist, so that a catalog naming a wrong column
     * fails with the field to fix instead of an SQL error in the middle of a command.
     */
    void checkColumns(Connection conn) throws SQLException {
        Set<String> columns = columns(conn).keySet();
        if (columns.isEmpty()) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, t.declaredAt() + ": tokens.table: the product database has no table '"
                    + t.table() + "'; fix the table name in the catalog's product.yaml (or check that this is the product's database)");
        }
        Map<String, Optional<String>> declared = new LinkedHashMap<>();
        declared.put("name-column", Optional.of(t.nameColumn()));
        declared.put("description-column", t.descriptionColumn());
        declared.put("scope-column", t.scopeColumn());
        declared.put("hash-column", Optional.of(t.hashColumn()));
        declared.put("format-column", Optional.of(t.formatColumn()));
        declared.put("created-column", t.createdColumn());
        declared.put("last-used-column", t.lastUsedColumn());
        List<String> wrong = new ArrayList<>();
        declared.forEach((field, column) -> column.filter(c -> !columns.contains(c))
                .ifPresent(c -> wrong.add("tokens." + field + ": the table " + t.table() + " has no column '" + c + "'")));
        if (!wrong.isEmpty()) {
            throw new UpliftException(ErrorCode.CATALOG_INVALID, t.declaredAt() + ": " + String.join("; ", wrong)
                    + ". Its columns are " + String.join(", ", columns) + "; fix the catalog's product.yaml.");
        }
    }

    List<AppToken> all(Connection conn, Predicate<String> deprecated) throws SQLException {
        String sql = "SELECT " + t.nameColumn() + ", " + t.formatColumn() + ", " + optional(t.descriptionColumn()) + ", "
                + optional(t.scopeColumn()) + ", " + optional(t.createdColumn()) + ", " + optional(t.lastUsedColumn())
                + " FROM " + t.table() + " ORDER BY 1, 2";
        List<AppToken> tokens = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                String format = rs.getString(2);
                tokens.add(new AppToken(rs.getString(1), format, rs.getString(3), rs.getString(4), instant(rs, 5), instant(rs, 6),
                        deprecated.test(format)));
            }
        }
        return tokens;
    }

    long count(Connection conn, Set<String> formats) throws SQLException {
        if (formats.isEmpty()) {
            return 0;
        }
        try (PreparedStatement st = conn.prepareStatement("SELECT count(*) FROM " + t.table() + " WHERE " + t.formatColumn()
                + " = ANY (?)")) {
            st.setArray(1, conn.createArrayOf("text", formats.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every token of one name, locked until the transaction ends, newest first when creation is known. */
    List<Row> lockByName(Connection conn, String name) throws SQLException {
        String sql = "SELECT " + t.nameColumn() + ", " + t.formatColumn() + ", " + t.hashColumn() + ", "
                + optional(t.descriptionColumn()) + ", " + optional(t.scopeColumn()) + " FROM " + t.table()
                + " WHERE " + t.nameColumn() + " = ?" + t.createdColumn().map(c -> " ORDER BY " + c + " DESC").orElse("") + " FOR UPDATE";
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement(sql)) {
            st.setString(1, name);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return rows;
    }

    /** The names in the table, for the message about a name that is not there. */
    List<String> names(Connection conn, int limit) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT DISTINCT " + t.nameColumn() + " FROM " + t.table() + " ORDER BY 1 LIMIT " + limit)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /**
     * Adds a copy of {@code source} with a new hash and format: every other column is copied (the
     * product's own columns too, such as an owner), except a primary key the database fills itself;
     * the created column gets now() and the last-used column NULL.
     */
    void insertCopy(Connection conn, Row source, String hash, String format) throws SQLException {
        Set<String> skip = new LinkedHashSet<>(List.of(t.hashColumn(), t.formatColumn()));
        t.createdColumn().ifPresent(skip::add);
        t.lastUsedColumn().ifPresent(skip::add);
        skip.addAll(generatedKeys(conn));
        List<String> copied = columns(conn).keySet().stream().filter(c -> !skip.contains(c)).toList();
        List<String> targets = new ArrayList<>(copied);
        List<String> values = new ArrayList<>(copied);
        targets.add(t.hashColumn());
        values.add("?");
        targets.add(t.formatColumn());
        values.add("?");
        t.createdColumn().ifPresent(c -> {
            targets.add(c);
            values.add("now()");
        });
        t.lastUsedColumn().ifPresent(c -> {
            targets.add(c);
            values.add("NULL");
        });
        String sql = "INSERT INTO " + t.table() + " (" + String.join(", ", targets) + ") SELECT " + String.join(", ", values)
                + " FROM " + t.table() + " WHERE " + t.nameColumn() + " = ? AND " + t.formatColumn() + " = ? AND "
                + t.hashColumn() + " = ? LIMIT 1";
        try (PreparedStatement st = conn.prepareStatement(sql)) {
            st.setString(1, hash);
            st.setString(2, format);
            st.setString(3, source.name());
            st.setString(4, source.format());
            st.setString(5, source.hash());
            if (st.executeUpdate() != 1) {
                throw new IllegalStateException("the locked token row " + source.name() + "/" + source.format() + " was not found again");
            }
        }
    }

    /** The token whose hash is {@code hash}, locked until the transaction ends; hashes are unique in practice. */
    Optional<Row> lockByHash(Connection conn, String hash) throws SQLException {
        String sql = "SELECT " + t.nameColumn() + ", " + t.formatColumn() + ", " + t.hashColumn() + ", "
                + optional(t.descriptionColumn()) + ", " + optional(t.scopeColumn()) + " FROM " + t.table()
                + " WHERE " + t.hashColumn() + " = ? FOR UPDATE";
        try (PreparedStatement st = conn.prepareStatement(sql)) {
            st.setString(1, hash);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)))
                        : Optional.empty();
            }
        }
    }

    /**
     * When the token with {@code hash} was last used, as the product recorded it (its last-used column);
     * empty when it was never used or is not there.
     */
    Optional<Timestamp> lastUsed(Connection conn, String hash, String lastUsedColumn) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement("SELECT " + lastUsedColumn + " FROM " + t.table() + " WHERE " + t.hashColumn()
                + " = ?")) {
            st.setString(1, hash);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getTimestamp(1)) : Optional.empty();
            }
        }
    }

    /** Deletes the one token with {@code hash}: a component's own, never the other tokens of its name. */
    int deleteByHash(Connection conn, String hash) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement("DELETE FROM " + t.table() + " WHERE " + t.hashColumn() + " = ?")) {
            st.setString(1, hash);
            return st.executeUpdate();
        }
    }

    int delete(Connection conn, String name, Set<String> formats) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement("DELETE FROM " + t.table() + " WHERE " + t.nameColumn() + " = ? AND "
                + t.formatColumn() + " = ANY (?)")) {
            st.setString(1, name);
            st.setArray(2, conn.createArrayOf("text", formats.toArray()));
            return st.executeUpdate();
        }
    }

    /** The table's columns in table order, with whether each has a default, from the driver's metadata. */
    private Map<String, Boolean> columns(Connection conn) throws SQLException {
        String[] parts = schemaAndTable(conn);
        Map<String, Boolean> columns = new LinkedHashMap<>();
        try (ResultSet rs = conn.getMetaData().getColumns(null, parts[0], parts[1], null)) {
            while (rs.next()) {
                columns.put(rs.getString("COLUMN_NAME"), rs.getString("COLUMN_DEF") != null
                        || "YES".equals(rs.getString("IS_AUTOINCREMENT")) || "YES".equals(rs.getString("IS_GENERATEDCOLUMN")));
            }
        }
        return columns;
    }

    /** Primary-key columns the database fills itself (serial, identity, a default such as gen_random_uuid()). */
    private Set<String> generatedKeys(Connection conn) throws SQLException {
        String[] parts = schemaAndTable(conn);
        Map<String, Boolean> columns = columns(conn);
        Set<String> keys = new LinkedHashSet<>();
        DatabaseMetaData meta = conn.getMetaData();
        try (ResultSet rs = meta.getPrimaryKeys(null, parts[0], parts[1])) {
            while (rs.next()) {
                String column = rs.getString("COLUMN_NAME");
                if (Boolean.TRUE.equals(columns.get(column))) {
                    keys.add(column);
                }
            }
        }
        return keys;
    }

    private String[] schemaAndTable(Connection conn) throws SQLException {
        int dot = t.table().indexOf('.');
        if (dot > 0) {
            return new String[] {t.table().substring(0, dot), t.table().substring(dot + 1)};
        }
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT current_schema()")) {
            rs.next();
            return new String[] {rs.getString(1), t.table()};
        }
    }

    private static String optional(Optional<String> column) {
        return column.orElse("NULL");
    }

    /** A timestamp column as an ISO-8601 instant; another type as the database writes it. */
    private static String instant(ResultSet rs, int column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null) {
            return null;
        }
        return value instanceof Timestamp ts ? ts.toInstant().toString() : value.toString();
    }
}
