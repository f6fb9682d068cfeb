package io.uplift.cluster;

import io.uplift.api.ErrorCode;
import io.uplift.api.NodeInfo;
import io.uplift.api.NodeList;
import io.uplift.api.UpliftException;
import io.uplift.install.InstalledVersionRecord;
import io.uplift.install.Installation;
import io.uplift.install.ProductDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes of an installation as the product's node gates registered them (table public.uplift_nodes
 * of the product database, created and written by uplift-gate, read here; only 'uplift nodes forget'
 * deletes from it, see {@link NodeForgetting}). Ages are computed on the database clock, the clock
 * every heartbeat was written with, so that a node whose own clock is off still shows its true age.
 */
public final class NodeRegistry {
    /** The table uplift-gate writes (see uplift-gate/README.md). */
    public static final String TABLE = "public.uplift_nodes";
    private static final String ISO_UTC = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";
    private static final String SELECT = "SELECT node_id, host, role, program_version, keyset_fingerprint, service_account, home,"
            + " greatest(0, floor(extract(epoch FROM now() - last_heartbeat)))::bigint,"
            + " to_char(started_at AT TIME ZONE 'UTC', " + ISO_UTC + "), to_char(last_heartbeat AT TIME ZONE 'UTC', " + ISO_UTC + ")"
            + " FROM " + TABLE + " ORDER BY role, host, node_id";

    private final Installation installation;

    public NodeRegistry(Installation installation) {
        this.installation = installation;
    }

    /**
     * 'uplift nodes': starts the database server first when Uplift manages it and it is down, as
     * status does. An unreachable database is DATABASE_UNREACHABLE; no table yet, an empty list.
     */
    public NodeList list() {
        ProductDatabase database = new ProductDatabase(installation);
        try {
            database.ensureRunning();
        } catch (UpliftException e) {
            throw withAgentStatus(e);
        }
        try (Connection conn = CoordinationDatabase.connect(installation)) {
            return read(conn);
        } catch (UpliftException e) {
            throw withAgentStatus(e);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Reading the registered nodes (" + TABLE + ") of "
                    + installation.home() + " failed: " + e.getMessage() + ". Check that the user of config/database.properties"
                    + " may read it.", e);
        }
    }

    /**
     * The registry lives in the database that cannot be reached; what this node's agent last said of it
     * (HOME/.uplift/agent-status) is the one thing left to show.
     */
    private UpliftException withAgentStatus(UpliftException e) {
        return AgentStatusFile.read(installation.upliftDir())
                .map(status -> new UpliftException(e.code(), e.getMessage() + "\nThis node's agent last said: " + status, e))
                .orElse(e);
    }

    /**
     * The nodes for 'uplift status', which must work when the database does not: null when it is
     * not reachable (status says why under "database") or the table cannot be read.
     */
    public List<NodeInfo> forStatus(boolean databaseReachable) {
        if (!databaseReachable) {
            return null;
        }
        try (Connection conn = CoordinationDatabase.connect(installation)) {
            return read(conn).nodes();
        } catch (SQLException | UpliftException e) {
            return null;
        }
    }

    /**
     * The registered nodes over {@code conn}, each judged: alive or silent ({@link NodeLiveness}),
     * and what fixes it when it is silent or runs another version than the one the database belongs to.
     */
    public NodeList read(Connection conn) throws SQLException {
        String product = installation.state().product();
        String databaseVersion = InstalledVersionRecord.read(conn, product).orElse(null);
        return new NodeList(installation.home().toString(), product, rows(conn, databaseVersion), databaseVersion,
                NodeLiveness.SILENT_AFTER.toSeconds(), ClusterControl.readIfPresent(conn).orElse(null));
    }

    private List<NodeInfo> rows(Connection conn, String databaseVersion) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet exists = st.executeQuery("SELECT to_regclass('" + TABLE + "') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return List.of();
            }
        }
        List<NodeInfo> nodes = new ArrayList<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(SELECT)) {
            while (rs.next()) {
                String id = rs.getString(1);
                String home = rs.getString(7);
                String version = rs.getString(4);
                long age = rs.getLong(8);
                nodes.add(new NodeInfo(id, rs.getString(2), rs.getString(3), version, rs.getString(5), rs.getString(6), home, age,
                        rs.getString(9), rs.getString(10), NodeLiveness.status(age),
                        NodeFix.of(id, home, version, age, databaseVersion, installation.home().toString())));
            }
        }
        return nodes;
    }
}
