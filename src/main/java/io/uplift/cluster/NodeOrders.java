package io.uplift.cluster;

import io.uplift.api.ClusterNodeProgress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The leader's orders to the nodes (uplift_cluster_orders, written under the fence) and the nodes'
 * reports (uplift_cluster_reports, written by each node's agent about itself). An order is one row
 * per upgrade, node and action, so ordering again is a no-op and an action runs once per upgrade.
 */
final class NodeOrders {
    /** What a node is told to do. */
    enum Action {
        /** Drain and stop the node's services (primary-first: every node but the primary). */
        STOP,
        /** Run the whole upgrade on this node: backup, migrations, keys, program files (the primary). */
        UPGRADE_PRIMARY,
        /** Run this node's part: stage, swap, start (the database is already at the new version). */
        UPGRADE_NODE,
        /** Start the services again at the version installed (a cancel). */
        START,
        /** Rolling: the primary's part without maintenance: backup, expand migrations, its program files; the others serve on. */
        UPGRADE_PRIMARY_ROLLING,
        /** Rolling, once every node runs the new release: withdraw the previous one, run the contract migrations (the primary). */
        FINALIZE,
        /** Add the key the primary's rotation published (wrapped) to this node's keyset, prove it decrypts every value. */
        ADD_KEY,
        /** Disable the old keys in this node's keyset: every node holds the new key (see ClusterKeyHandover). */
        RETIRE_KEY
    }

    static final String DONE = "DONE";
    static final String FAILED = "FAILED";

    /** One order and, once reported, its outcome. */
    record Order(long upgradeId, String nodeId, Action action, String outcome, String detail) {
        boolean reported() {
            return outcome != null;
        }
    }

    private NodeOrders() {}

    /** Orders {@code action} on {@code nodeId}; false when {@code me} no longer leads (nothing written). */
    static boolean order(Connection conn, Leadership me, long upgradeId, String nodeId, Action action) throws SQLException {
        return Transactions.readWrite(conn, () -> {
            if (!LeaderLease.holds(conn, me)) {
                return false;
            }
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + ClusterSchema.ORDERS + " (upgrade_id, node_id, action, fence)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                ps.setLong(1, upgradeId);
                ps.setString(2, nodeId);
                ps.setString(3, action.name());
                ps.setLong(4, me.fence());
                if (ps.executeUpdate() == 1) {
                    WakeUp.notifyAll(conn);
                }
            }
            return true;
        });
    }

    /** The node's agent reports how its order ended; a later report of the same order replaces the earlier. */
    static void report(Connection conn, long upgradeId, String nodeId, Action action, String outcome, String detail) throws SQLException {
        Transactions.readWrite(conn, () -> {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + ClusterSchema.REPORTS + " (upgrade_id, node_id, action, outcome, detail)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (upgrade_id, node_id, action) DO UPDATE SET outcome = EXCLUDED.outcome,"
                    + " detail = EXCLUDED.detail, at = now()")) {
                ps.setLong(1, upgradeId);
                ps.setString(2, nodeId);
                ps.setString(3, action.name());
                ps.setString(4, outcome);
                ps.setString(5, detail);
                ps.executeUpdate();
            }
            WakeUp.notifyAll(conn);
        });
    }

    /** Every order of one upgrade with its report, in the order they were given. */
    static List<Order> of(Connection conn, long upgradeId) throws SQLException {
        List<Order> orders = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT o.node_id, o.action, r.outcome, r.detail FROM " + ClusterSchema.ORDERS + " o"
                + " LEFT JOIN " + ClusterSchema.REPORTS + " r USING (upgrade_id, node_id, action) WHERE o.upgrade_id = ? ORDER BY o.at, o.node_id")) {
            ps.setLong(1, upgradeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    orders.add(new Order(upgradeId, rs.getString(1), Action.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return orders;
    }

    static Optional<Order> find(List<Order> orders, String nodeId, Action action) {
        return orders.stream().filter(o -> o.nodeId().equals(nodeId) && o.action() == action).findFirst();
    }

    /** The first order of this node that is not reported yet, oldest first. */
    static Optional<Order> nextFor(Connection conn, long upgradeId, String nodeId) throws SQLException {
        return of(conn, upgradeId).stream().filter(o -> o.nodeId().equals(nodeId) && !o.reported()).findFirst();
    }

    /** Each node's latest order with its outcome, for status. */
    static List<ClusterNodeProgress> progress(List<Order> orders, List<String> nodes) {
        Map<String, ClusterNodeProgress> latest = new LinkedHashMap<>();
        nodes.forEach(n -> latest.put(n, new ClusterNodeProgress(n, "", "", "")));
        for (Order o : orders) {
            latest.put(o.nodeId(), new ClusterNodeProgress(o.nodeId(), o.action().name(), o.outcome() == null ? "" : o.outcome(),
                    o.detail() == null ? "" : o.detail()));
        }
        return List.copyOf(latest.values());
    }
}
