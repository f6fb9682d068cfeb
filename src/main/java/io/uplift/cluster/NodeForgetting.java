package io.uplift.cluster;

import io.uplift.api.ErrorCode;
import io.uplift.api.ForgottenNode;
import io.uplift.api.NodeInfo;
import io.uplift.api.UpliftException;
import io.uplift.install.Installation;
import io.uplift.install.ProductDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * 'uplift nodes forget ID': removes the row of a node that is gone from uplift_nodes, so that the
 * cluster checks stop waiting for it. Only a silent node is removed, and the delete itself says so
 * (its WHERE clause holds the threshold, on the database clock): a node whose heartbeat lands
 * between the read and the delete keeps its row, and the operator is told it came back.
 *
 * <p>The delete runs in a transaction set READ WRITE, because in maintenance mode new sessions are
 * read-only by default; Uplift's maintenance guard covers the product's tables, not its uplift_* ones.
 */
public final class NodeForgetting {
    private static final String DELETE = "DELETE FROM " + NodeRegistry.TABLE
            + " WHERE node_id = ? AND last_heartbeat < now() - make_interval(secs => ?)";
    private static final String STILL_THERE = "SELECT 1 FROM " + NodeRegistry.TABLE + " WHERE node_id = ?";

    private final Installation installation;

    public NodeForgetting(Installation installation) {
        this.installation = installation;
    }

    /** Starts the managed database server first when it is down, as 'uplift nodes' does. */
    public ForgottenNode forget(String nodeId) {
        ProductDatabase database = new ProductDatabase(installation);
        database.ensureRunning();
        try (Connection conn = CoordinationDatabase.connect(installation)) {
            return forget(conn, nodeId);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Removing node '" + nodeId + "' from " + NodeRegistry.TABLE + " of "
                    + installation.home() + " failed: " + e.getMessage() + ". Check that the user of config/database.properties may"
                    + " delete from it; nothing was changed.", e);
        }
    }

    private ForgottenNode forget(Connection conn, String nodeId) throws SQLException {
        String home = installation.home().toString();
        List<NodeInfo> registered = new NodeRegistry(installation).read(conn).nodes();
        Optional<NodeInfo> found = registered.stream().filter(n -> n.nodeId().equals(nodeId)).findFirst();
        NodeInfo node = found.orElseThrow(() -> ForgetRefusals.unknown(nodeId, registered, home));
        if (!NodeLiveness.silent(node.heartbeatAgeSeconds())) {
            throw ForgetRefusals.alive(node);
        }
        boolean removed;
        boolean cameBack;
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try {
            try (Statement st = conn.createStatement()) {
                st.execute("SET TRANSACTION READ WRITE");
            }
            removed = delete(conn, nodeId);
            cameBack = !removed && stillThere(conn, nodeId);
            conn.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(conn, e);
            throw e;
        } finally {
            conn.setAutoCommit(autoCommit);
        }
        if (cameBack) {
            throw ForgetRefusals.cameBack(node);
        }
        return new ForgottenNode(home, node, removed);
    }

    private static boolean delete(Connection conn, String nodeId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(DELETE)) {
            ps.setString(1, nodeId);
            ps.setLong(2, NodeLiveness.SILENT_AFTER.toSeconds());
            return ps.executeUpdate() == 1;
        }
    }

    private static boolean stillThere(Connection conn, String nodeId) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(STILL_THERE)) {
            ps.setString(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void rollback(Connection conn, Exception cause) {
        try {
            conn.rollback();
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
