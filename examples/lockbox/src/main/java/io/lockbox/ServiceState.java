package io.lockbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether Lockbox serves writes or only reads. It is read-only while the database is in Uplift's
 * maintenance mode: the schema uplift_maintenance exists (Uplift's guard), the node gate's heartbeat
 * said so, or the last write was refused with SQLSTATE 25006; a write that succeeds ends it.
 */
final class ServiceState {
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    private final ConnectionPool pool;
    private volatile boolean lastWriteRefused;
    private volatile boolean gateSaysMaintenance;
    private volatile boolean guardSeen;
    private volatile long checkedAt = System.nanoTime() - CHECK_EVERY_NANOS;

    ServiceState(ConnectionPool pool) {
        this.pool = pool;
    }

    void writeRefused() {
        lastWriteRefused = true;
    }

    void writeSucceeded() {
        lastWriteRefused = false;
        gateSaysMaintenance = false;
    }

    void gateMaintenance(boolean on) {
        gateSaysMaintenance = on;
    }

    boolean readOnly() {
        return lastWriteRefused || gateSaysMaintenance || guardPresent();
    }

    /** Looks for Uplift's guard at most once a second; an unreachable database keeps the last answer. */
    private boolean guardPresent() {
        long now = System.nanoTime();
        if (now - checkedAt < CHECK_EVERY_NANOS) {
            return guardSeen;
        }
        checkedAt = now;
        try {
            guardSeen = pool.read(conn -> {
                try (PreparedStatement ps = conn.prepareStatement("SELECT to_regnamespace('uplift_maintenance') IS NOT NULL");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            });
        } catch (SQLException e) {
            // Keep the last answer: health answers on.
        }
        return guardSeen;
    }
}
