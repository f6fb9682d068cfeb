package io.uplift.cluster;

import io.uplift.api.ClusterMode;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The cluster state as an append-only log (uplift_cluster_state): the latest row is where the cluster
 * stands, the rows before it how it got there. Only the lease holder appends, and only while its
 * fence is the current one (checked in the appending transaction itself).
 */
final class ClusterLog {
    private static final String ISO_UTC = "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'";
    private static final String COLUMNS = "seq, upgrade_id, state, from_version, to_version, mode, primary_node, nodes, fence, moved_by,"
            + " reason, to_char(at AT TIME ZONE 'UTC', " + ISO_UTC + ")";

    private ClusterLog() {}

    static Optional<ClusterStateChange> latest(Connection conn) throws SQLException {
        List<ClusterStateChange> rows = query(conn, "SELECT " + COLUMNS + " FROM " + ClusterSchema.STATE + " ORDER BY seq DESC LIMIT 1", null);
        return rows.stream().findFirst();
    }

    /** Every state of one upgrade, oldest first. */
    static List<ClusterStateChange> history(Connection conn, long upgradeId) throws SQLException {
        return query(conn, "SELECT " + COLUMNS + " FROM " + ClusterSchema.STATE + " WHERE upgrade_id = ? ORDER BY seq", upgradeId);
    }

    /**
     * Appends {@code next} (its seq, fence and time are set here) when {@code me} still leads and
     * the latest row is still {@code expectedSeq} (0: none); false, and nothing written, otherwise.
     */
    static boolean append(Connection conn, Leadership me, long expectedSeq, ClusterStateChange next) throws SQLException {
        return Transactions.readWrite(conn, () -> {
            if (!LeaderLease.holds(conn, me) || latest(conn).map(ClusterStateChange::seq).orElse(0L) != expectedSeq) {
                return false;
            }
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + ClusterSchema.STATE + " (upgrade_id, state, from_version,"
                    + " to_version, mode, primary_node, nodes, fence, moved_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, next.upgradeId());
                ps.setString(2, next.state().name());
                ps.setString(3, next.fromVersion());
                ps.setString(4, next.toVersion());
                ps.setString(5, next.mode().name());
                ps.setString(6, next.primaryNode());
                ps.setString(7, String.join(",", next.nodes()));
                ps.setLong(8, me.fence());
                ps.setString(9, me.holder());
                ps.setString(10, next.reason());
                ps.executeUpdate();
            }
            WakeUp.notifyAll(conn);
            return true;
        });
    }

    private static List<ClusterStateChange> query(Connection conn, String sql, Long upgradeId) throws SQLException {
        List<ClusterStateChange> rows = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            if (upgradeId != null) {
                ps.setLong(1, upgradeId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String nodes = rs.getString(8);
                    rows.add(new ClusterStateChange(rs.getLong(1), rs.getLong(2), ClusterState.valueOf(rs.getString(3)), rs.getString(4),
                            rs.getString(5), ClusterMode.valueOf(rs.getString(6)), rs.getString(7),
                            nodes.isEmpty() ? List.of() : Arrays.asList(nodes.split(",")), rs.getLong(9), rs.getString(10),
                            rs.getString(11), rs.getString(12)));
                }
            }
        }
        return rows;
    }
}
