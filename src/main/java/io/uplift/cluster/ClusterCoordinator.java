package io.uplift.cluster;

import io.uplift.api.AgentInfo;
import io.uplift.api.ClusterMode;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import io.uplift.api.NodeInfo;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Version;
import io.uplift.cluster.NodeOrders.Action;
import io.uplift.cluster.NodeOrders.Order;
import io.uplift.install.InstalledVersionRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The leader's side of a primary-first cluster upgrade. Each {@link #step} reads the tables and makes
 * at most one move: an order to a node or the next state. Everything it decides follows from the
 * rows, never from memory, so a successor that takes the lease over mid-upgrade carries on exactly
 * where the former leader stopped; an order or a state it writes again is refused by the tables
 * (one order per upgrade, node and action; a state only on top of the one it read).
 *
 * <pre>
 * STABLE    + an UPGRADE request   -> PREPARED (checks passed) or FAILED (refused, nothing touched)
 * PREPARED: STOP every other node; when all stopped, UPGRADE_PRIMARY; when done -> MIXED
 *           a CANCEL before UPGRADE_PRIMARY was ordered: START the stopped nodes -> CANCELLED
 * MIXED:    UPGRADE_NODE one node at a time, in order; when all done -> READY_TO_FINALIZE
 *           (the primary rotated keys: ADD_KEY on every other node first, RETIRE_KEY on all at the end, see ClusterKeyHandover)
 * READY_TO_FINALIZE: every node registered runs the new version -> FINALIZING -> STABLE
 * any node's FAILED report -> FAILED (the node's journal holds the rest: resume or roll back there)
 * </pre>
 */
final class ClusterCoordinator {
    private final Catalog catalog;
    private final NodeRegistry registry;
    private final long silentAfterSeconds;
    private final ClusterKeyHandover keys;
    private String waiting = "";

    /** @param silentAfterSeconds an agent older than this is not running (nodes: {@link NodeLiveness}) */
    ClusterCoordinator(Catalog catalog, NodeRegistry registry, long silentAfterSeconds) {
        this.catalog = catalog;
        this.registry = registry;
        this.silentAfterSeconds = silentAfterSeconds;
        this.keys = new ClusterKeyHandover(registry);
    }

    /** What the last step waited for, for the agent's log ("" when it did not wait on a condition). */
    String waiting() {
        return waiting;
    }

    /** One move, or empty when there is nothing to do now (or the lease was lost: nothing was written then). */
    Optional<String> step(Connection conn, Leadership me) throws SQLException {
        waiting = "";
        Optional<ClusterStateChange> latest = ClusterLog.latest(conn);
        if (latest.isEmpty() || latest.get().state().ended()) {
            return startRequested(conn, me, latest);
        }
        ClusterStateChange now = latest.get();
        List<Order> orders = NodeOrders.of(conn, now.upgradeId());
        Optional<Order> failed = orders.stream().filter(o -> NodeOrders.FAILED.equals(o.outcome())).findFirst();
        if (failed.isPresent()) {
            Order f = failed.get();
            return move(conn, me, now, ClusterState.FAILED, "node " + f.nodeId() + " failed at " + f.action() + ": " + f.detail());
        }
        return switch (now.state()) {
            case PREPARED -> prepared(conn, me, now, orders);
            case MIXED -> mixed(conn, me, now, orders);
            case READY_TO_FINALIZE -> {
                Optional<String> behind = allAtTarget(conn, now);
                waiting = behind.map(b -> "finalize waits: " + b).orElse("");
                yield behind.isEmpty() ? move(conn, me, now, ClusterState.FINALIZING, "every node runs " + now.toVersion()) : Optional.empty();
            }
            case FINALIZING -> {
                Optional<String> behind = allAtTarget(conn, now);
                yield behind.isEmpty()
                        ? move(conn, me, now, ClusterState.STABLE, "finalized: every node runs " + now.toVersion())
                        : move(conn, me, now, ClusterState.READY_TO_FINALIZE, "finalize stopped: " + behind.get());
            }
            default -> Optional.empty();
        };
    }

    private Optional<String> startRequested(Connection conn, Leadership me, Optional<ClusterStateChange> latest) throws SQLException {
        long after = latest.map(ClusterStateChange::upgradeId).orElse(0L);
        Optional<ClusterRequests.Request> request = ClusterRequests.next(conn, ClusterRequests.Kind.UPGRADE, after);
        if (request.isEmpty()) {
            return Optional.empty();
        }
        ClusterRequests.Request r = request.get();
        List<NodeInfo> nodes = registry.read(conn).nodes();
        List<AgentInfo> agents = AgentBeats.list(conn);
        String from = InstalledVersionRecord.read(conn, catalog.product().id()).orElse("");
        long seq = latest.map(ClusterStateChange::seq).orElse(0L);
        int serverMajor = serverMajor(conn);
        Optional<String> refusal = targetRefusal(r.toVersion())
                .or(() -> ClusterPlanLimits.refusal(catalog, from, r.toVersion(), serverMajor))
                .or(() -> ClusterReadiness.refusal(nodes, agents, r.primaryNode(), silentAfterSeconds));
        List<String> order = refusal.isPresent() ? List.of() : ClusterReadiness.order(nodes, r.primaryNode(), catalog.product().roles());
        ClusterStateChange next = new ClusterStateChange(0, r.id(), refusal.isPresent() ? ClusterState.FAILED : ClusterState.PREPARED, from,
                r.toVersion(), ClusterMode.PRIMARY_FIRST, r.primaryNode(), order, 0, me.holder(),
                refusal.map(x -> "refused before anything was touched: " + x)
                        .orElse("asked by " + r.requestedBy() + "; checks passed for " + order.size() + " node(s)"), "");
        return ClusterLog.append(conn, me, seq, next) ? Optional.of(next.state() + ": " + next.reason()) : Optional.empty();
    }

    private Optional<String> prepared(Connection conn, Leadership me, ClusterStateChange now, List<Order> orders) throws SQLException {
        List<String> others = now.nodes().subList(1, now.nodes().size());
        boolean primaryOrdered = NodeOrders.find(orders, now.primaryNode(), Action.UPGRADE_PRIMARY).isPresent();
        if (!primaryOrdered && ClusterRequests.next(conn, ClusterRequests.Kind.CANCEL, now.upgradeId()).isPresent()) {
            return cancel(conn, me, now, orders, others);
        }
        for (String node : others) {
            if (NodeOrders.find(orders, node, Action.STOP).isEmpty()) {
                return order(conn, me, now, node, Action.STOP);
            }
        }
        if (!others.stream().allMatch(n -> done(orders, n, Action.STOP))) {
            return Optional.empty();
        }
        if (!primaryOrdered) {
            return order(conn, me, now, now.primaryNode(), Action.UPGRADE_PRIMARY);
        }
        return done(orders, now.primaryNode(), Action.UPGRADE_PRIMARY)
                ? move(conn, me, now, ClusterState.MIXED, "the primary " + now.primaryNode() + " runs " + now.toVersion()
                        + "; from here a rollback restores the primary's backup")
                : Optional.empty();
    }

    private Optional<String> cancel(Connection conn, Leadership me, ClusterStateChange now, List<Order> orders, List<String> others)
            throws SQLException {
        for (String node : others) {
            if (NodeOrders.find(orders, node, Action.STOP).isPresent() && NodeOrders.find(orders, node, Action.START).isEmpty()) {
                return order(conn, me, now, node, Action.START);
            }
        }
        boolean allStarted = others.stream().allMatch(n -> NodeOrders.find(orders, n, Action.STOP).isEmpty() || done(orders, n, Action.START));
        return allStarted ? move(conn, me, now, ClusterState.CANCELLED, "cancelled before any node ran " + now.toVersion()
                + "; every node serves " + now.fromVersion() + " again") : Optional.empty();
    }

    private Optional<String> mixed(Connection conn, Leadership me, ClusterStateChange now, List<Order> orders) throws SQLException {
        boolean allUpgraded = now.nodes().subList(1, now.nodes().size()).stream().allMatch(n -> done(orders, n, Action.UPGRADE_NODE));
        ClusterKeyHandover.KeyMove keyMove = keys.nextMove(conn, me, now, orders, allUpgraded);
        if (!keyMove.proceed()) {
            waiting = keyMove.waiting();
            return keyMove.moved();
        }
        for (String node : now.nodes().subList(1, now.nodes().size())) {
            if (done(orders, node, Action.UPGRADE_NODE)) {
                continue;
            }
            // One node at a time: the next is ordered only once this one reported.
            return NodeOrders.find(orders, node, Action.UPGRADE_NODE).isEmpty() ? order(conn, me, now, node, Action.UPGRADE_NODE) : Optional.empty();
        }
        return move(conn, me, now, ClusterState.READY_TO_FINALIZE, "every node was upgraded to " + now.toVersion());
    }

    /** Empty when every registered node runs the target and is alive; else which is not (a node joined, or went silent). */
    private Optional<String> allAtTarget(Connection conn, ClusterStateChange now) throws SQLException {
        for (NodeInfo n : registry.read(conn).nodes()) {
            if (!now.toVersion().equals(n.programVersion())) {
                return Optional.of("node " + n.nodeId() + " (" + n.home() + ") runs " + n.programVersion() + ", not " + now.toVersion()
                        + ": upgrade it ('uplift upgrade --home " + n.home() + " --to " + now.toVersion() + "' or its agent), or forget it");
            }
            if (NodeLiveness.silent(n.heartbeatAgeSeconds())) {
                return Optional.of("node " + n.nodeId() + " is silent for " + n.heartbeatAgeSeconds() + " s: start it, or 'uplift nodes forget "
                        + n.nodeId() + "'");
            }
        }
        return Optional.empty();
    }

    private Optional<String> targetRefusal(String to) {
        try {
            return catalog.release(Version.parse(to)).isPresent() ? Optional.empty()
                    : Optional.of("the catalog " + catalog.folder() + " has no release " + to);
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + to + "' is not a version: " + e.getMessage());
        }
    }

    private static int serverMajor(Connection conn) throws SQLException {
        try (var st = conn.createStatement(); var rs = st.executeQuery("SHOW server_version_num")) {
            rs.next();
            return Integer.parseInt(rs.getString(1)) / 10000;
        }
    }

    private static boolean done(List<Order> orders, String node, Action action) {
        return NodeOrders.find(orders, node, action).map(o -> NodeOrders.DONE.equals(o.outcome())).orElse(false);
    }

    private static Optional<String> order(Connection conn, Leadership me, ClusterStateChange now, String node, Action action) throws SQLException {
        return NodeOrders.order(conn, me, now.upgradeId(), node, action) ? Optional.of("ordered " + action + " on " + node) : Optional.empty();
    }

    private static Optional<String> move(Connection conn, Leadership me, ClusterStateChange now, ClusterState state, String reason)
            throws SQLException {
        ClusterStateChange next = new ClusterStateChange(0, now.upgradeId(), state, now.fromVersion(), now.toVersion(), now.mode(),
                now.primaryNode(), now.nodes(), 0, me.holder(), reason, "");
        return ClusterLog.append(conn, me, now.seq(), next) ? Optional.of(state + ": " + reason) : Optional.empty();
    }
}
