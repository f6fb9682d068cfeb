package io.uplift.gate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes this node's row of public.uplift_nodes, the registry 'uplift nodes' and 'uplift status'
 * read. Times come from the database clock (now()), so that ages compare across nodes whose clocks differ.
 *
 * <p>In maintenance mode a new session's default is read-only (Uplift sets
 * default_transaction_read_only on the database), so each write runs in a transaction set READ WRITE
 * explicitly. That is allowed: Uplift guards the product's tables with a trigger, never its own
 * uplift_* tables, and a row of the registry is nothing a rollback needs to keep.
 */
final class NodeRegistration {
    static final String TABLE = "public.uplift_nodes";
    /** SQLSTATEs of a CREATE TABLE IF NOT EXISTS that lost a race with another node's: the table is there. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DUPLICATE_TABLE = "42P07";

    private static final String INSERT = "INSERT INTO " + TABLE + " (node_id, product, host, program_version, keyset_fingerprint,"
            + " service_account, role, home, started_at, last_heartbeat) VALUES (?, ?, ?, ?, ?, ?, ?, ?, now(), now())"
            + " ON CONFLICT (node_id) DO UPDATE SET ";
    /** At start every field is this run's. */
    private static final String ADMIT = INSERT + "product = EXCLUDED.product, host = EXCLUDED.host,"
            + " program_version = EXCLUDED.program_version, keyset_fingerprint = EXCLUDED.keyset_fingerprint,"
            + " service_account = EXCLUDED.service_account, role = EXCLUDED.role, home = EXCLUDED.home,"
            + " started_at = EXCLUDED.started_at, last_heartbeat = EXCLUDED.last_heartbeat";
    /**
     * A heartbeat keeps the start time; it inserts the whole row again when the row is gone (a
     * database restored from a backup older than this node's start, or moved to a new server).
     */
    private static final String HEARTBEAT = INSERT + "program_version = EXCLUDED.program_version,"
            + " keyset_fingerprint = EXCLUDED.keyset_fingerprint, last_heartbeat = EXCLUDED.last_heartbeat";

    private NodeRegistration() {}

    record Row(String nodeId, String product, String host, String programVersion, String keysetFingerprint, String serviceAccount,
            String role, String home) {}

    static void admit(Connection conn, Row row) throws SQLException {
        ensureTable(conn);
        write(conn, ADMIT, row);
    }

    static void heartbeat(Connection conn, Row row) throws SQLException {
        ensureTable(conn);
        write(conn, HEARTBEAT, row);
    }

    /**
     * Creates the table when it is absent. Looked up first, because CREATE TABLE IF NOT EXISTS checks
     * the right to create in the schema even when the table exists, and a product's user may lack it
     * once the table is made.
     */
    private static void ensureTable(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('" + TABLE + "') IS NOT NULL")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return;
            }
        }
        try {
            inReadWriteTransaction(conn, () -> {
                try (Statement st = conn.createStatement()) {
                    st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (node_id text PRIMARY KEY, product text NOT NULL,"
                            + " host text NOT NULL, program_version text NOT NULL, keyset_fingerprint text, service_account text NOT NULL,"
                            + " role text NOT NULL, home text NOT NULL, started_at timestamptz NOT NULL, last_heartbeat timestamptz NOT NULL)");
                }
            });
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !DUPLICATE_TABLE.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static void write(Connection conn, String sql, Row row) throws SQLException {
        inReadWriteTransaction(conn, () -> {
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                ps.setString(1, row.nodeId());
                ps.setString(2, row.product());
                ps.setString(3, row.host());
                ps.setString(4, row.programVersion());
                ps.setString(5, row.keysetFingerprint());
                ps.setString(6, row.serviceAccount());
                ps.setString(7, row.role());
                ps.setString(8, row.home());
                ps.executeUpdate();
            }
        });
    }

    private interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction set READ WRITE as its first statement; the connection's
     * auto-commit is put back. A connection handed over without auto-commit (a pool set so) is
     * already in the transaction of the gate's reads, where READ WRITE may no longer be set: that
     * transaction only read, so it is rolled back first.
     */
    private static void inReadWriteTransaction(Connection conn, Work work) throws SQLException {
        boolean autoCommit = conn.getAutoCommit();
        if (autoCommit) {
            conn.setAutoCommit(false);
        } else {
            conn.rollback();
        }
        try {
            try (Statement st = conn.createStatement()) {
                st.execute("SET TRANSACTION READ WRITE");
            }
            work.run();
            conn.commit();
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
