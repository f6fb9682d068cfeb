package io.uplift.gate;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A node whose database settings point at a mirror: a PostgreSQL streaming standby (made with
 * {@code pg_basebackup -R}, replaying the primary's WAL, read-only). Everything the gate checks is
 * replicated, so the version and keyset checks hold there as on the primary, and after an upgrade of
 * the primary the standby replays the new schema and its uplift_installation row, so a node left at
 * the old version is refused on the mirror as well. But the standby refuses every write (SQLSTATE
 * 25006), the registry row among them: before this class the gate refused such a node at start
 * ("could not write uplift_nodes"), though it can serve every read.
 *
 * <p>So on a standby the node is admitted read-only (as in maintenance mode: reads served, writes
 * answered 503), and its registry row goes to the primary when the node names it
 * ({@link GateSettings#registry()}, a node-local setting); without one the node serves unregistered,
 * and says so in the log once. A registry that cannot be written is logged, not refused: the row is
 * bookkeeping, and a mirror is most needed while the primary site is in trouble.
 */
final class StandbyRegistration {
    private static final System.Logger LOG = System.getLogger(NodeGate.class.getName());
    private boolean toldUnregistered;

    /** Whether {@code conn} reaches a server in recovery: a standby (or a server still replaying after a crash, read-only too). */
    static boolean isStandby(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Writes the row into the registry the settings name, if any; never throws. */
    synchronized void register(GateSettings settings, NodeRegistration.Row row, boolean atStart) {
        ConnectionSource registry = settings.registry();
        if (registry == null) {
            if (!toldUnregistered) {
                toldUnregistered = true;
                LOG.log(Level.WARNING, "node gate: the database of node " + row.nodeId() + " is a read-only standby; the node serves"
                        + " reads only and is not in the primary's registry ('uplift nodes' does not list it). Name the primary's"
                        + " database in this node's own settings (GateSettings.registry) to register it there.");
            }
            return;
        }
        try (Connection conn = registry.open()) {
            if (isStandby(conn)) {
                LOG.log(Level.WARNING, "node gate: the registry database of node " + row.nodeId() + " is a standby too; the"
                        + " registry must be the primary's database. Not registered.");
                return;
            }
            if (atStart) {
                NodeRegistration.admit(conn, row);
            } else {
                NodeRegistration.heartbeat(conn, row);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "node gate: could not write node " + row.nodeId() + " into the primary's registry (" + e
                    + "); the node keeps serving reads from its standby and tries again at the next beat.");
        }
    }
}
