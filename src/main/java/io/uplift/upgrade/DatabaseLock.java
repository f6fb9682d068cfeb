package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.DatabaseSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A session advisory lock in the product database, held on one pinned connection for the whole
 * upgrade: a second Uplift on another node sharing the database is refused. A killed process's
 * connection closes and the server releases the lock by itself.
 */
public final class DatabaseLock implements AutoCloseable {
    /** "Uplift" in ASCII, so the lock is recognisable in pg_locks. */
    static final long KEY = 0x55706c696674L;

    private final Connection conn;

    private DatabaseLock(Connection conn) {
        this.conn = conn;
    }

    public static DatabaseLock acquire(DatabaseSettings db) {
        try {
            Connection conn = UpgradeDatabase.connect(db);
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    conn.close();
                    throw new UpliftException(ErrorCode.LOCKED, "Another Uplift process holds the upgrade lock of the database "
                            + db.url() + " (advisory lock " + KEY + ", see pg_locks), probably on another node. Wait for it to finish.");
                }
            }
            return new DatabaseLock(conn);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot take the upgrade lock in " + db.url() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            conn.close(); // closing the session releases the lock
        } catch (SQLException e) {
            // The server releases it when it notices the session is gone.
        }
    }
}
