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
