package io.lockbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A handful of PostgreSQL connections, reused between requests. Small on purpose: Lockbox serves a
 * few requests at once, and a pool library would be one more dependency to upgrade. A connection
 * that failed with a connection error is dropped, never handed out again; {@link #read} runs a read
 * once more on a fresh connection when its connection was ended under it (Uplift ends the product's
 * sessions when it enters maintenance; a database move switches servers), so that reads go on.
 * A write refused for read-only (SQLSTATE 25006) runs once more on a fresh connection too: the
 * refused session may only carry a read-only default from a maintenance that has ended.
 */
final class ConnectionPool implements AutoCloseable {
    private static final int SIZE = 8;
    private final NodeHome home;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(SIZE);
    private final Semaphore permits = new Semaphore(SIZE, true);
    private volatile NodeHome.DatabaseConfig config;

    ConnectionPool(NodeHome home) {
        this.home = home;
        this.config = home.database();
    }

    interface Work<T> {
        T run(Connection conn) throws SQLException;
    }

    /** A new connection of the pool's kind. */
    Connection open() throws SQLException {
        return open("lockbox");
    }

    /** A new connection of its own (the node gate's, the token command's), named so in pg_stat_activity; the caller closes it. */
    Connection open(String applicationName) throws SQLException {
        return DriverManager.getConnection(config.url(), properties(config, applicationName));
    }

    /**
     * A connection to the primary named by primary.url (null when the file names none): where the node
     * gate of a node on a read-only mirror writes its registry row.
     */
    Connection openPrimary(String applicationName) throws SQLException {
        NodeHome.DatabaseConfig c = config;
        if (c.primaryUrl() == null) {
            throw new SQLException("config/database.properties names no primary.url: this node's database is its only one");
        }
        return DriverManager.getConnection(c.primaryUrl(), properties(c, applicationName));
    }

    private static Properties properties(NodeHome.DatabaseConfig c, String applicationName) {
        Properties p = new Properties();
        p.setProperty("user", c.user());
        p.setProperty("password", c.password());
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "60");
        return p;
    }

    /** Runs a read in auto-commit; once more on a fresh connection when the first one was lost. */
    <T> T read(Work<T> work) throws SQLException {
        try {
            return withConnection(work);
        } catch (SQLException e) {
            if (!DatabaseErrors.isConnectionLost(e)) {
                throw e;
            }
            dropIdle(); // the server ended them all at once (maintenance, a move): none of them is worth a try
            refreshConfig(); // a database move may have pointed config/database.properties at another server
            return withConnection(work);
        }
    }

    /**
     * Runs a write in one transaction. When the connection turns out to be lost before the commit was
     * sent, nothing was written, and it runs once more on a fresh connection; a failure of the commit
     * itself is reported, since the write may or may not have happened.
     */
    <T> T write(Work<T> work) throws SQLException {
        boolean[] committing = {false};
        Work<T> tx = conn -> {
            conn.setAutoCommit(false);
            try {
                T result = work.run(conn);
                committing[0] = true;
                conn.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                if (!committing[0]) {
                    rollbackQuietly(conn, e);
                }
                throw e;
            } finally {
                if (!conn.isClosed()) {
                    try {
                        conn.setAutoCommit(true);
                    } catch (SQLException ignored) {
                        // The connection is lost; the pool drops it.
                    }
                }
            }
        };
        try {
            return withConnection(tx);
        } catch (SQLException e) {
            boolean lost = DatabaseErrors.isConnectionLost(e);
            if (committing[0] || !(lost || DatabaseErrors.isReadOnly(e))) {
                throw e;
            }
            if (lost) {
                dropIdle();
                refreshConfig();
            }
            // A refusal (25006) may come from a session opened during maintenance, whose read-only default
            // outlives it: a fresh session gets the database's default of now, and is refused only while
            // maintenance is still on.
            return withConnection(tx);
        }
    }

    private <T> T withConnection(Work<T> work) throws SQLException {
        try {
            if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new SQLException("All " + SIZE + " database connections stayed busy for 30 s", "08004");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("Interrupted while waiting for a database connection", "08004", e);
        }
        Connection conn = null;
        boolean keep = false;
        try {
            conn = idle.poll();
            if (conn == null || conn.isClosed()) {
                conn = open();
            }
            T result = work.run(conn);
            keep = true;
            return result;
        } catch (SQLException e) {
            // Dropped too after a refusal for read-only: the session may keep maintenance's read-only default.
            keep = conn != null && !DatabaseErrors.isConnectionLost(e) && !DatabaseErrors.isReadOnly(e) && !conn.isClosed();
            throw e;
        } finally {
            if (conn != null) {
                if (keep && idle.offer(conn)) {
                    conn = null;
                } else {
                    closeQuietly(conn);
                }
            }
            permits.release();
        }
    }

    private void refreshConfig() {
        try {
            config = home.database();
        } catch (LockboxException e) {
            // Keep the settings read at start: the file is being replaced right now, or damaged.
        }
    }

    private static void rollbackQuietly(Connection conn, Exception cause) {
        try {
            if (!conn.isClosed()) {
                conn.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void closeQuietly(Connection conn) {
        try {
            conn.close();
        } catch (SQLException ignored) {
            // Dropped either way.
        }
    }

    private void dropIdle() {
        Connection c;
        while ((c = idle.poll()) != null) {
            closeQuietly(c);
        }
    }

    @Override
    public void close() {
        dropIdle();
    }
}
