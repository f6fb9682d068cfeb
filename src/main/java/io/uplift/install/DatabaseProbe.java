package io.uplift.install;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one look at the product database found: whether it answered, its server version, its size
 * and the schema version Flyway recorded. Reachability is a value here, not an exception, because
 * status and check report it rather than stop on it.
 */
public record DatabaseProbe(boolean reachable, String error, OptionalInt major, String serverVersion,
        long sizeBytes, Optional<String> schemaVersion) {

    public static DatabaseProbe unreachable(String error) {
        return new DatabaseProbe(false, error, OptionalInt.empty(), "", 0, Optional.empty());
    }

    /** Reads everything through an open connection; SQL failures surface to the caller. */
    public static DatabaseProbe of(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            int num;
            String text;
            long size;
            try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int, current_setting('server_version'), "
                    + "pg_database_size(current_database())")) {
                rs.next();
                num = rs.getInt(1);
                text = rs.getString(2);
                size = rs.getLong(3);
            }
            return new DatabaseProbe(true, "", OptionalInt.of(num / 10000), text, size, schemaVersion(st));
        }
    }

    private static Optional<String> schemaVersion(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return Optional.empty();
            }
        }
        try (ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL "
                + "ORDER BY installed_rank DESC LIMIT 1")) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
    }
}
