package io.uplift.upgrade;

import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Connections of the upgrade itself: writable even while maintenance mode makes the database read-only. */
final class UpgradeDatabase {
    static final String WRITABLE = "SET default_transaction_read_only = off";

    private UpgradeDatabase() {}

    static Connection connect(DatabaseSettings db) throws SQLException {
        Connection conn = Jdbc.connect(db.url(), db.user(), db.password());
        try (Statement st = conn.createStatement()) {
            st.execute(WRITABLE);
        } catch (SQLException e) {
            conn.close();
            throw e;
        }
        return conn;
    }
}
