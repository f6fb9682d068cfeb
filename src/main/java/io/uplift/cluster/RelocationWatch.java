package io.uplift.cluster;

import io.uplift.api.ClusterStateChange;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What the leader says about a move of the cluster's database during an upgrade: which nodes did not
 * follow it (the upgrade cannot go on without them: their orders are here, and they cannot read them),
 * and, in the history, what undoing means once the data lives on the new server.
 */
final class RelocationWatch {
    private RelocationWatch() {}

    /** The reason to fail the upgrade when a node's agent has not come to the new database in time. */
    static Optional<String> stranded(Connection conn, ClusterStateChange now, long silentAfterSeconds) throws SQLException {
        List<String> nodes = DatabaseRelocation.stranded(conn, now.upgradeId(), now.nodes(), silentAfterSeconds);
        if (nodes.isEmpty()) {
            return Optional.empty();
        }
        String where = DatabaseRelocation.movedFrom(conn, now.upgradeId()).map(m -> " from " + m.where()).orElse("");
        return Optional.of("node(s) " + String.join(", ", nodes) + " did not follow the database" + where + " to this server within "
                + silentAfterSeconds + " s of the move: their agent cannot reach or log in to the new server (it says why in 'uplift nodes'"
                + " and in HOME/.uplift/agent-status on that node). Fix that there (the agent follows by itself, no restart needed), then"
                + " upgrade the node with 'uplift upgrade --home HOME --to " + now.toVersion() + "'");
    }

    /** For the history of the state after the primary's upgrade: empty when the upgrade did not move the database. */
    static String undoNote(Connection conn, ClusterStateChange now) throws SQLException {
        return DatabaseRelocation.movedFrom(conn, now.upgradeId())
                .map(m -> "; the database moved here from " + m.where() + ", which is kept as it was before the move: the primary's rollback"
                        + " points the primary back at it, and each other node keeps its settings from before in"
                        + " HOME/.uplift/" + RelocationFollower.KEPT + "/")
                .orElse("");
    }
}
