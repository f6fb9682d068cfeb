package io.uplift.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One explicit READ WRITE transaction. In maintenance mode Uplift makes new sessions read-only by
 * default (the product must not write), yet the agents must keep coordinating through their own
 * uplift_* tables, which the maintenance guard leaves alone.
 */
final class Transactions {
    /**
     * How long a transaction may sit idle between its statements before the server ends its session.
     * Fix found by ClusterFaultIT: a client paused inside a transaction (SIGSTOP, a long GC pause, a
     * cut network) kept its row locks for as long as it was paused, the lease row's among them (the
     * FOR SHARE of {@link LeaderLease#holds}, the UPDATE of a renewal), so the successor's takeover
     * waited on that lock and the cluster had no leader at all. Nothing here is idle that long.
     */
    static final String IDLE_LIMIT = "5s";
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    @FunctionalInterface
    interface VoidWork {
        void run() throws SQLException;
    }

    private Transactions() {}

    static void readWrite(Connection conn, VoidWork work) throws SQLException {
        readWrite(conn, () -> {
            work.run();
            return null;
        });
    }

    static <T> T readWrite(Connection conn, Work<T> work) throws SQLException {
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try {
            try (Statement st = conn.createStatement()) {
                st.execute("SET TRANSACTION READ WRITE");
                st.execute("SET LOCAL idle_in_transaction_session_timeout = '" + IDLE_LIMIT + "'");
            }
            T result = work.run();
            conn.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                conn.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            conn.setAutoCommit(autoCommit);
        }
    }
}
