package io.uplift.upgrade;

import io.uplift.db.Jdbc;
import io.uplift.db.MaintenanceWriter;
import io.uplift.install.DatabaseSettings;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Connections of the upgrade itself: writable even while maintenance mode makes the database
 * read-only and its guard refuses every other session's changes (see {@link MaintenanceWriter}).
 */
final class UpgradeDatabase {
    private UpgradeDatabase() {}

    static Connection connect(DatabaseSettings db) throws SQLException {
        Connection conn = Jdbc.connect(db.url(), db.user(), db.password());
        try {
            MaintenanceWriter.declare(conn);
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
        return conn;
    }
}
