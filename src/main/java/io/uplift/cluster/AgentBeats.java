package io.uplift.cluster;

import io.uplift.api.AgentInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The agents' heartbeats (uplift_agents), on the database clock: one row per node, the running agent's. */
final class AgentBeats {
    private AgentBeats() {}

    static void beat(Connection conn, String nodeId, String agent, String host, String home, String activity) throws SQLException {
        Transactions.readWrite(conn, () -> {
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + ClusterSchema.AGENTS + " AS a (node_id, agent, host, home, activity,"
                    + " started_at, last_seen) VALUES (?, ?, ?, ?, ?, now(), now()) ON CONFLICT (node_id) DO UPDATE SET agent = EXCLUDED.agent,"
                    + " host = EXCLUDED.host, home = EXCLUDED.home, activity = EXCLUDED.activity, last_seen = EXCLUDED.last_seen,"
                    + " started_at = CASE WHEN a.agent = EXCLUDED.agent THEN a.started_at ELSE EXCLUDED.started_at END")) {
                ps.setString(1, nodeId);
                ps.setString(2, agent);
                ps.setString(3, host);
                ps.setString(4, home);
                ps.setString(5, activity);
                ps.executeUpdate();
            }
        });
    }

    static List<AgentInfo> list(Connection conn) throws SQLException {
        List<AgentInfo> agents = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT node_id, agent, host, home, activity,"
                + " greatest(0, floor(extract(epoch FROM now() - last_seen)))::bigint FROM " + ClusterSchema.AGENTS + " ORDER BY node_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                agents.add(new AgentInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6)));
            }
        }
        return agents;
    }
}
