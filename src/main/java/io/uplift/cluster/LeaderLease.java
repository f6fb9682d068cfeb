package io.uplift.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The leader lease of the cluster, one row of uplift_cluster_lease timed on the database clock (the
 * agents' own clocks may differ; the database's is the one they share). Taken only when free or
 * expired, renewed only by its holder with its fence while it has not expired, so an agent that
 * was paused past its lease (SIGSTOP, a long GC, a cut network) cannot renew it once another took
 * over: it must take it anew and gets a new fence.
 *
 * <p>Every write of the leader goes through {@link #holds} inside the writing transaction: the
 * lease row is read FOR SHARE, so a successor's takeover (an UPDATE of that row) waits until the
 * write committed, and a write by a former leader finds another fence and changes nothing.
 */
final class LeaderLease {
    static final String NAME = "cluster";

    private LeaderLease() {}

    /** Takes the lease when it is free or expired; empty when another holder's lease still runs. */
    static Optional<Leadership> tryAcquire(Connection conn, String holder, Duration ttl) throws SQLException {
        return Transactions.readWrite(conn, () -> {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + ClusterSchema.LEASE + " AS l (name, holder, fence, lease_until)"
                    + " VALUES (?, ?, 1, now() + make_interval(secs => ?)) ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder,"
                    + " fence = l.fence + 1, lease_until = EXCLUDED.lease_until WHERE l.lease_until <= now() RETURNING fence")) {
                ps.setString(1, NAME);
                ps.setString(2, holder);
                ps.setDouble(3, ttl.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Leadership(holder, rs.getLong(1))) : Optional.<Leadership>empty();
                }
            }
        });
    }

    /** Extends a lease that is still running; false when it expired or another holder took it. */
    static boolean renew(Connection conn, Leadership me, Duration ttl) throws SQLException {
        return Transactions.readWrite(conn, () -> {
            try (PreparedStatement ps = conn.prepareStatement("UPDATE " + ClusterSchema.LEASE + " SET lease_until = now() + make_interval(secs => ?)"
                    + " WHERE name = ? AND holder = ? AND fence = ? AND lease_until > now()")) {
                ps.setDouble(1, ttl.toMillis() / 1000.0);
                ps.setString(2, NAME);
                ps.setString(3, me.holder());
                ps.setLong(4, me.fence());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Gives the lease up at once (an agent that stops), so that a successor need not wait for it to expire. */
    static void release(Connection conn, Leadership me) throws SQLException {
        Transactions.readWrite(conn, () -> {
            try (PreparedStatement ps = conn.prepareStatement("UPDATE " + ClusterSchema.LEASE + " SET lease_until = now()"
                    + " WHERE name = ? AND holder = ? AND fence = ? AND lease_until > now()")) {
                ps.setString(1, NAME);
                ps.setString(2, me.holder());
                ps.setLong(3, me.fence());
                ps.executeUpdate();
            }
        });
    }

    /**
     * Inside a transaction: whether {@code me} still holds the lease, locking its row FOR SHARE until
     * the transaction ends so that no takeover can commit in between.
     */
    static boolean holds(Connection conn, Leadership me) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM " + ClusterSchema.LEASE
                + " WHERE name = ? AND holder = ? AND fence = ? AND lease_until > now() FOR SHARE")) {
            ps.setString(1, NAME);
            ps.setString(2, me.holder());
            ps.setLong(3, me.fence());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The current holder and fence, for status: empty before any agent led. */
    static Optional<Leadership> current(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT holder, fence FROM " + ClusterSchema.LEASE
                + " WHERE name = ? AND lease_until > now()")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Leadership(rs.getString(1), rs.getLong(2))) : Optional.empty();
            }
        }
    }
}
