package io.uplift.upgrade;

import io.uplift.db.Jdbc;
import io.uplift.db.MaintenanceWriter;
import io.uplift.install.DatabaseSettings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The database side of maintenance mode, made so that no change the database acknowledges can be
 * lost to a rollback. A new session's default is read-only ({@code ALTER DATABASE ... SET
 * default_transaction_read_only}), but a session may switch that off, and sessions already open keep
 * their old default. So entering also
 * <ul>
 * <li>puts a guard on every table of the product: a statement-level {@code BEFORE INSERT OR UPDATE OR
 *     DELETE OR TRUNCATE} trigger calling {@code uplift_maintenance.refuse_writes()}, which raises
 *     SQLSTATE 25006 (read_only_sql_transaction) unless the session is one of Uplift's writers
 *     ({@link MaintenanceWriter}). Creating a trigger waits for every transaction that wrote the table
 *     to end, and every later write sees it: once the guard's transaction commits, each change to a
 *     guarded table is either committed already (and in the backup taken next) or refused;</li>
 * <li>ends the product's other sessions of the database (never Uplift's own, which holds the upgrade
 *     lock): a session idle in a write transaction would otherwise hold the guard back, and a session
 *     that reconnects gets the read-only default, so that it fails early and clearly.</li>
 * </ul>
 * Leaving drops the schema uplift_maintenance with its function, and with it every trigger that calls
 * it (also those on tables a migration renamed or a move copied), and resets the default; both in one
 * transaction, so that {@link #isOn} tells exactly whether the database still refuses changes.
 *
 * <p>The guard is an object of the database: a backup taken in maintenance holds it, a restore brings
 * it back and a database move copies it; the undo of entering (or the step that leaves) drops it.
 */
final class MaintenanceGuard {
    static final String SCHEMA = "uplift_maintenance";
    static final String TRIGGER = "uplift_maintenance_guard";
    private static final String FUNCTION = SCHEMA + ".refuse_writes()";
    /** SQLSTATE of a lock wait that ran out: another session held the table. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /**
     * SQLSTATE of a deadlock: the guard locks the tables one by one while a product transaction that
     * wrote one of them waits for another the guard already holds. The server aborts one side; when it
     * is the guard, its transaction is rolled back whole and the next attempt (after ending the
     * product's sessions again) goes through. Seen under the cluster test's load (issue 16).
     */
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final int ATTEMPTS = 12;
    private static final String LOCK_TIMEOUT = "5s";

    /**
     * The product's tables: ordinary and partitioned ones (and each partition, which a session may write
     * directly) in every schema but the system's and this guard's, that the connected user may drop
     * triggers from again (it owns them), and not Uplift's own bookkeeping (uplift_* tables).
     */
    private static final String UNGUARDED_TABLES = "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', '" + SCHEMA + "')"
            + " AND n.nspname NOT LIKE 'pg\\_%' AND c.relname NOT LIKE 'uplift\\_%' AND pg_has_role(c.relowner, 'USAGE')"
            + " AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = '" + TRIGGER + "')"
            + " ORDER BY 1, 2";

    private MaintenanceGuard() {}

    /**
     * Makes the database refuse every change but Uplift's; idempotent (a resume after a kill at any
     * point enters again).
     *
     * @param refusal the message a refused change gets, naming the product and the upgrade
     * @return how many sessions of the product were ended
     */
    static int enter(DatabaseSettings db, String refusal) throws SQLException {
        try (Connection conn = UpgradeDatabase.connect(db)) {
            int ended = 0;
            for (int attempt = 1; ; attempt++) {
                // Sessions holding a table's lock (an open write transaction) would make the guard wait.
                ended += endOtherSessions(conn, null);
                try {
                    install(conn, refusal);
                    break;
                } catch (SQLException e) {
                    boolean tryAgain = LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || DEADLOCK_DETECTED.equals(e.getSQLState());
                    if (!tryAgain || attempt == ATTEMPTS) {
                        throw withBlockers(conn, e, "entering maintenance mode");
                    }
                }
            }
            // Sessions opened before the guard committed still have the writable default: end them too.
            ended += endOtherSessions(conn, now(conn));
            return ended;
        }
    }

    /** Lets the database accept changes again; idempotent. */
    static void leave(DatabaseSettings db) throws SQLException {
        try (Connection conn = UpgradeDatabase.connect(db)) {
            for (int attempt = 1; ; attempt++) {
                try {
                    inTransaction(conn, st -> {
                        // Dropping a trigger locks its table exclusively: a long read would hold it; try again later.
                        st.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
                        st.execute("ALTER DATABASE " + databaseName(st) + " RESET default_transaction_read_only");
                        st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                    });
                    return;
                } catch (SQLException e) {
                    if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || attempt == ATTEMPTS) {
                        throw withBlockers(conn, e, "leaving maintenance mode");
                    }
                }
            }
        }
    }

    /** Whether the database still refuses changes: its guard function exists. */
    static boolean isOn(DatabaseSettings db) throws SQLException {
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password());
             PreparedStatement ps = conn.prepareStatement("SELECT to_regprocedure(?) IS NOT NULL")) {
            ps.setString(1, FUNCTION);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void install(Connection conn, String refusal) throws SQLException {
        inTransaction(conn, st -> {
            st.execute("SET LOCAL lock_timeout = '" + LOCK_TIMEOUT + "'");
            st.execute("ALTER DATABASE " + databaseName(st) + " SET default_transaction_read_only = on");
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute(functionSql(conn, refusal));
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(UNGUARDED_TABLES)) {
                while (rs.next()) {
                    tables.add(Jdbc.quoteIdentifier(rs.getString(1)) + "." + Jdbc.quoteIdentifier(rs.getString(2)));
                }
            }
            for (String table : tables) {
                st.execute("CREATE TRIGGER " + TRIGGER + " BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON " + table
                        + " FOR EACH STATEMENT EXECUTE PROCEDURE " + FUNCTION);
            }
        });
    }

    /** The guard function's definition, the message quoted by the server itself (it comes from the catalog). */
    private static String functionSql(Connection conn, String refusal) throws SQLException {
        String body = "BEGIN IF coalesce(current_setting('" + MaintenanceWriter.SETTING + "', true), '') <> 'on' THEN"
                + " RAISE EXCEPTION USING ERRCODE = 'read_only_sql_transaction', MESSAGE = %L,"
                + " HINT = 'Wait until the upgrade ends (uplift status), then try again.'; END IF; RETURN NULL; END";
        try (PreparedStatement ps = conn.prepareStatement("SELECT format('CREATE OR REPLACE FUNCTION " + FUNCTION
                + " RETURNS trigger LANGUAGE plpgsql AS %L', format(?, ?::text))")) {
            ps.setString(1, body);
            ps.setString(2, refusal);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * Ends the other client sessions of this database that this user may end, and that started before
     * {@code startedBefore} (all when null); never this one nor the one holding Uplift's upgrade lock.
     */
    private static int endOtherSessions(Connection conn, String startedBefore) throws SQLException {
        String sql = "SELECT a.pid FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()"
                + " AND a.backend_type = 'client backend' AND pg_has_role(a.usesysid, 'MEMBER')"
                + " AND (a.backend_start < ?::timestamptz OR ?::timestamptz IS NULL)"
                + " AND a.pid NOT IN (SELECT l.pid FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
                + " AND l.classid = " + (DatabaseLock.KEY >>> 32) + " AND l.objid = " + (DatabaseLock.KEY & 0xffffffffL)
                + " AND l.objsubid = 1)";
        List<Integer> pids = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, startedBefore);
            ps.setString(2, startedBefore);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
        }
        int ended = 0;
        for (int pid : pids) {
            try (PreparedStatement ps = conn.prepareStatement("SELECT pg_terminate_backend(?)")) {
                ps.setInt(1, pid);
                try (ResultSet rs = ps.executeQuery()) {
                    ended += rs.next() && rs.getBoolean(1) ? 1 : 0;
                }
            } catch (SQLException e) {
                // A superuser's session, say: the guard refuses its changes all the same.
            }
        }
        return ended;
    }

    /** The server's clock, as text: sent back as it came, no time zone of the JVM in between. */
    private static String now(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT clock_timestamp()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String databaseName(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
            rs.next();
            return Jdbc.quoteIdentifier(rs.getString(1));
        }
    }

    /** The error, with the sessions that held the locks, so the operator knows whom to stop. */
    private static SQLException withBlockers(Connection conn, SQLException e, String what) {
        if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
            return e;
        }
        List<String> holders = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT a.pid, a.usename, a.application_name,"
                + " a.state FROM pg_stat_activity a WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()"
                + " AND a.backend_type = 'client backend' ORDER BY a.pid")) {
            while (rs.next()) {
                holders.add("pid " + rs.getInt(1) + " (" + rs.getString(2) + ", " + rs.getString(3) + ", " + rs.getString(4) + ")");
            }
        } catch (SQLException ignored) {
            // The original error says enough.
        }
        return new SQLException(what + ": other sessions kept the product's tables locked for " + ATTEMPTS + " tries of "
                + LOCK_TIMEOUT + " (" + e.getMessage() + "); sessions of the database now: " + (holders.isEmpty() ? "none" : String.join(", ", holders))
                + ". Stop them (or the product's services), then run the same command again.", e.getSQLState(), e);
    }

    private interface Work {
        void run(Statement st) throws SQLException;
    }

    private static void inTransaction(Connection conn, Work work) throws SQLException {
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            work.run(st);
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(true);
        }
    }
}
