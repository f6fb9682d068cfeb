package io.uplift.check;

import io.uplift.api.CheckResult;
import io.uplift.api.NodeInfo;
import io.uplift.api.UpliftException;
import io.uplift.cluster.ClusterConsistency;
import io.uplift.cluster.KeyHandoverTable;
import io.uplift.cluster.NodeRegistry;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.keys.KeysetRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The nodes registered in the product database agree with each other: one keyset, one service
 * account, none silent (the rules: {@link ClusterConsistency}). KeysetMatchesDatabaseCheck and
 * ServiceAccountCheck judge this node only; this one judges the cluster from the rows the nodes'
 * gates keep up to date. No registry, or a single node: nothing to compare.
 */
final class ClusterNodesCheck implements PreflightCheck {
    private static final String ID = "cluster-nodes";
    private static final String TITLE = "Cluster nodes agree";

    @Override
    public CheckResult run(CheckContext c) {
        if (!c.database().reachable()) {
            return CheckResult.warn(ID, TITLE, "not compared: the database does not answer",
                    "make the database reachable (see the database check), then run the check again");
        }
        List<NodeInfo> nodes;
        Optional<KeysetRecord> recorded;
        Optional<ClusterConsistency.KeyTransition> handover;
        DatabaseSettings db = c.installation().databaseSettings();
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password())) {
            nodes = new NodeRegistry(c.installation()).read(conn).nodes();
            recorded = KeysetRecord.read(conn);
            handover = KeyHandoverTable.inProgress(conn);
        } catch (SQLException | UpliftException e) {
            return CheckResult.warn(ID, TITLE, "not compared: the registered nodes (" + NodeRegistry.TABLE + ") could not be read: "
                    + e.getMessage(), "give the user of config/database.properties the right to read it, then run the check again");
        }
        if (nodes.size() < 2) {
            return CheckResult.pass(ID, TITLE, nodes.isEmpty() ? "no node is registered: nothing to compare"
                    : "one node is registered (" + nodes.get(0).nodeId() + "): nothing to compare");
        }
        List<ClusterConsistency.Problem> problems = ClusterConsistency.problems(nodes, recorded.map(KeysetRecord::fingerprint).orElse(null),
                recorded.map(r -> r.node() + ", " + r.home()).orElse(null), c.installation().home().toString(), handover);
        if (problems.isEmpty() && handover.isPresent()) {
            return CheckResult.pass(ID, TITLE, nodes.size() + " nodes, all alive, with one service account (" + nodes.get(0).serviceAccount()
                    + "); cluster upgrade " + handover.get().upgradeId() + " is handing key " + handover.get().keyId() + " over, and each"
                    + " node holds one of its keysets");
        }
        if (problems.isEmpty()) {
            return CheckResult.pass(ID, TITLE, nodes.size() + " nodes, all alive, with one keyset and one service account ("
                    + nodes.get(0).serviceAccount() + ")");
        }
        return CheckResult.fail(ID, TITLE, numbered(problems.stream().map(ClusterConsistency.Problem::observed).toList()),
                numbered(problems.stream().map(ClusterConsistency.Problem::remedy).toList()) + "; nothing was changed");
    }

    /** "(1) ... (2) ...", so that each remedy can be matched with its observation; a single one as it is. */
    private static String numbered(List<String> parts) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return IntStream.range(0, parts.size()).mapToObj(i -> "(" + (i + 1) + ") " + parts.get(i)).collect(Collectors.joining(" "));
    }
}
