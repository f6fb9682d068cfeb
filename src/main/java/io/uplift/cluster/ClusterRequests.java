package io.uplift.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * What operators ask of the cluster (uplift_cluster_requests): an upgrade to a version with a
 * primary node, or a cancel. A request is not a state change: anyone may write one, and only the
 * leader acts on it, appending the state it leads to; its id becomes the upgrade's id.
 */
final class ClusterRequests {
    enum Kind { UPGRADE, CANCEL }

    record Request(long id, Kind kind, String toVersion, String primaryNode, String requestedBy) {}

    private ClusterRequests() {}

    static long add(Connection conn, Kind kind, String toVersion, String primaryNode, String requestedBy) throws SQLException {
        return Transactions.readWrite(conn, () -> {
            long id;
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + ClusterSchema.REQUESTS
                    + " (kind, to_version, primary_node, requested_by) VALUES (?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, kind.name());
                ps.setString(2, toVersion);
                ps.setString(3, primaryNode);
                ps.setString(4, requestedBy);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            WakeUp.notifyAll(conn);
            return id;
        });
    }

    /** The oldest request of this kind newer than {@code afterId}. */
    static Optional<Request> next(Connection conn, Kind kind, long afterId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT id, to_version, primary_node, requested_by FROM " + ClusterSchema.REQUESTS
                + " WHERE kind = ? AND id > ? ORDER BY id LIMIT 1")) {
            ps.setString(1, kind.name());
            ps.setLong(2, afterId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Request(rs.getLong(1), kind, rs.getString(2), rs.getString(3), rs.getString(4)))
                        : Optional.empty();
            }
        }
    }
}
