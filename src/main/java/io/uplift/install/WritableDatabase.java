package io.uplift.install;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Where a node writes what belongs to the whole cluster (the agents' coordination rows, the upgrade
 * lock): its own database, unless that is a read-only mirror (pg_is_in_recovery()), in which case
 * the primary named by primary.url in config/database.properties.
 *
 * <p>The choice follows the database's own answer rather than the mere presence of primary.url, as
 * the node gate does for the registry row: the agent's beat and the gate's row then always land in
 * the same database, and a mirror promoted to primary (a failover) is written to directly, instead
 * of the old primary the file still names, which may be gone or, worse, still running apart.
 */
public final class WritableDatabase {
    private WritableDatabase() {}

    /** Where {@code node}'s cluster rows go: {@code node} itself, or its primary when {@code node} is a mirror. */
    public static DatabaseSettings of(DatabaseSettings node) {
        try (Connection own = Jdbc.connect(node.url(), node.user(), node.password())) {
            return isMirror(own) ? primaryOf(node) : node;
        } catch (SQLException e) {
            throw unreachable(node, e);
        }
    }

    /** Whether {@code node}'s own database is a read-only mirror (a standby in recovery). */
    public static boolean isMirror(DatabaseSettings node) {
        try (Connection own = Jdbc.connect(node.url(), node.user(), node.password())) {
            return isMirror(own);
        } catch (SQLException e) {
            throw unreachable(node, e);
        }
    }

    /** A connection to {@link #of}; the node's own connection is kept when it can be written. */
    public static Connection connect(DatabaseSettings node) {
        Connection own = Jdbc.connect(node.url(), node.user(), node.password());
        boolean mirror;
        try {
            mirror = isMirror(own);
        } catch (SQLException e) {
            closeQuietly(own);
            throw unreachable(node, e);
        }
        if (!mirror) {
            return own;
        }
        closeQuietly(own);
        DatabaseSettings primary = primaryOf(node);
        return Jdbc.connect(primary.url(), primary.user(), primary.password());
    }

    private static boolean isMirror(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static DatabaseSettings primaryOf(DatabaseSettings node) {
        return node.primary().orElseThrow(() -> new UpliftException(ErrorCode.INSTALLATION_INVALID, "The database of this node ("
                + node.url() + ", " + DatabaseSettings.FILE + ") is a read-only mirror (a standby in recovery), and the file names no "
                + DatabaseSettings.PRIMARY_URL + ". Add the line " + DatabaseSettings.PRIMARY_URL + "=jdbc:postgresql://HOST:PORT/DB"
                + " naming its primary (same user and password), where this node's cluster rows are written."));
    }

    private static UpliftException unreachable(DatabaseSettings node, SQLException e) {
        return new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Asking " + node.url() + " whether it is a mirror failed: "
                + e.getMessage(), e);
    }

    private static void closeQuietly(Connection conn) {
        try {
            conn.close();
        } catch (SQLException e) {
            // Only read from; nothing to lose.
        }
    }
}
