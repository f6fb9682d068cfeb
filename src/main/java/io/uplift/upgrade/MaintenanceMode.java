package io.uplift.upgrade;

import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * Maintenance mode: users keep reading, changes are refused. The database enforces it itself
 * ({@code default_transaction_read_only} on the product database, for every new session), and the
 * flag file .uplift/maintenance tells the product and the console why. Uplift's own sessions
 * switch the setting off for themselves (see {@link UpgradeDatabase}).
 */
final class MaintenanceMode {
    static final String FLAG = ".uplift/maintenance";

    private MaintenanceMode() {}

    static void enter(Path home, DatabaseSettings db, String reason) throws IOException, SQLException {
        DurableFiles.write(home.resolve(FLAG), ("since " + Instant.now() + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8));
        setReadOnly(db, true);
    }

    static void leave(Path home, DatabaseSettings db) throws IOException, SQLException {
        setReadOnly(db, false);
        Files.deleteIfExists(home.resolve(FLAG));
        DurableFiles.forceDirectory(home.resolve(".uplift"));
    }

    static boolean isOn(Path home) {
        return Files.exists(home.resolve(FLAG));
    }

    /** Lifts or restores only the database side, around a restore that must write. */
    static void setReadOnly(DatabaseSettings db, boolean on) throws SQLException {
        try (Connection conn = UpgradeDatabase.connect(db); Statement st = conn.createStatement()) {
            String name;
            try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
                rs.next();
                name = Jdbc.quoteIdentifier(rs.getString(1));
            }
            st.execute(on ? "ALTER DATABASE " + name + " SET default_transaction_read_only = on"
                    : "ALTER DATABASE " + name + " RESET default_transaction_read_only");
        }
    }
}
