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
 * ({@link MaintenanceGuard}: a read-only default for new sessions, a guard on every product table for
 * every session, the product's open sessions ended), and the flag file .uplift/maintenance tells the
 * product and the console why. Uplift's own sessions declare themselves writers (see {@link UpgradeDatabase}).
 */
final class MaintenanceMode {
    static final String FLAG = ".uplift/maintenance";

    private MaintenanceMode() {}

    /**
     * @param refusal what a refused change is told
     * @return how many of the product's sessions were ended
     */
    static int enter(Path home, DatabaseSettings db, String reason, String refusal) throws IOException, SQLException {
        DurableFiles.write(home.resolve(FLAG), ("since " + Instant.now() + ": " + reason + "\n").getBytes(StandardCharsets.UTF_8));
        return MaintenanceGuard.enter(db, refusal);
    }

    static void leave(Path home, DatabaseSettings db) throws IOException, SQLException {
        MaintenanceGuard.leave(db);
        Files.deleteIfExists(home.resolve(FLAG));
        DurableFiles.forceDirectory(home.resolve(".uplift"));
    }

    static boolean isOn(Path home) {
        return Files.exists(home.resolve(FLAG));
    }

    /**
     * Lifts or restores only the read-only default, around a restore that must write (the restore's
     * own session is not marked as a writer; the guard comes back with the restored content).
     */
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
