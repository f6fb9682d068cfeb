package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.SourceDescription;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * {@code --delete-source}: DROP DATABASE of the move's source, run from the source server's
 * {@code postgres} database (a database cannot drop itself). The CLI calls it only after a passed
 * validation and a second confirmation.
 */
public final class SourceDeletion {
    /** What the source held, read just before it is dropped: the message says exactly what went. */
    public record Described(String database, String server, String serverVersion, long bytes, long tables, long rows) {
        @Override
        public String toString() {
            return "database \"" + database + "\" on " + server + " (PostgreSQL " + serverVersion + "): " + tables + " tables, about "
                    + rows + " rows, " + bytes / (1024 * 1024) + " MB on disk";
        }
    }

    private SourceDeletion() {}

    public static SourceDescription describe(PgUrl source) {
        try (Connection conn = MoveConnections.open(source); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_setting('server_version'), pg_database_size(current_database()), "
                     + "(SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND "
                     + Inventory.SYSTEM_SCHEMAS + "), (SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint FROM pg_class c "
                     + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND " + Inventory.SYSTEM_SCHEMAS + ")")) {
            rs.next();
            return new SourceDescription(source.database(), source.host() + ":" + source.port(), rs.getString(1), rs.getLong(2), rs.getLong(3),
                    rs.getLong(4));
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "Reading " + source + " before deleting it failed: " + e.getMessage()
                    + ". Nothing was deleted.", e);
        }
    }

    /** Drops the source database; refuses (nothing deleted) while other sessions use it. */
    public static void drop(PgUrl source) {
        PgUrl admin = source.withDatabase("postgres");
        try (Connection conn = Jdbc.connect(admin.jdbcUrl(), admin.user(), admin.password()); Statement st = conn.createStatement()) {
            try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()")) {
                ps.setString(1, source.database());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        throw new UpliftException(ErrorCode.DATABASE_MOVE, source + " still has " + rs.getLong(1) + " open sessions (the"
                                + " product's services?). Stop them and run 'uplift db move ... --validate --delete-source' again; nothing was deleted.");
                    }
                }
            }
            st.execute("DROP DATABASE " + TableInfo.quote(source.database()));
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "DROP DATABASE " + source.database() + " on " + source.host() + ":"
                    + source.port() + " (through its postgres database) failed: " + e.getMessage() + ". Nothing was deleted.", e);
        }
    }
}
