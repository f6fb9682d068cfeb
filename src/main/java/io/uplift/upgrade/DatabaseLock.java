package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.WritableDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A session advisory lock in the product database, held on one pinned connection for the whole
 * upgrade: a second Uplift on another node sharing the database is refused. A killed process's
 * connection closes and the server releases the lock by itself.
 *
 * <p>A database move inside the upgrade puts the product database on a new server and stops the old
 * one, which ends the lock's session; {@link #follow} takes the lock again where the database now is,
 * and the engine calls it around every step, so no step runs without it.
 */
public final class DatabaseLock implements AutoCloseable {
    /** "Uplift" in ASCII, so the lock is recognisable in pg_locks. */
    static final long KEY = 0x55706c696674L;

    // Replaced by follow() only, on the engine's thread.
    private Connection conn;
    private String url;

    private DatabaseLock(Connection conn, String url) {
        this.conn = conn;
        this.url = url;
    }

    /**
     * Takes the lock where the installation's database can be written: on a node whose database is a
     * read-only mirror, on its primary (primary.url, see {@link WritableDatabase}), so that its node
     * upgrade is serialised with the other nodes' as on any node. {@code url} stays the node's own.
     */
    public static DatabaseLock acquire(DatabaseSettings db) {
        return new DatabaseLock(take(WritableDatabase.of(db)), db.url());
    }

    /**
     * Holds the lock in {@code now}, the database the installation uses at this moment: nothing to do
     * when the lock's session is there and alive; otherwise the lock is taken there anew (LOCKED if
     * another Uplift took it meanwhile) and the old session is closed.
     */
    public void follow(DatabaseSettings now) {
        if (now.url().equals(url) && alive()) {
            return;
        }
        Connection fresh = take(WritableDatabase.of(now));
        close();
        conn = fresh;
        url = now.url();
    }

    private boolean alive() {
        try {
            return conn.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    private static Connection take(DatabaseSettings db) {
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
            return conn;
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
