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
import io.uplift.install.AdmittedVersions;
import io.uplift.keys.KeysetRecord;
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
 * PREPARED: primary-first: STOP every other node; when all stopped, UPGRADE_PRIMARY; when done -> MIXED
 *           rolling: UPGRADE_PRIMARY_ROLLING (expand migrations, no maintenance: the others serve); when done -> MIXED
 *           a CANCEL before the primary's upgrade was ordered: START the stopped nodes -> CANCELLED
 * MIXED:    UPGRADE_NODE one node at a time, in order; when all done -> READY_TO_FINALIZE
 *           (the primary rotated keys: ADD_KEY on every other node first, RETIRE_KEY on all at the end, see ClusterKeyHandover)
 * READY_TO_FINALIZE: every node registered runs the new version and is alive -> FINALIZING
 * FINALIZING: primary-first -> STABLE; rolling: FINALIZE on the primary (the previous release is no
 *           longer admitted, the contract migrations run); when done -> STABLE
 *           a node behind before FINALIZE was ordered -> READY_TO_FINALIZE ("finalize stopped")
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
        Optional<String> stranded = RelocationWatch.stranded(conn, now, silentAfterSeconds);
        if (stranded.isPresent()) {
            return move(conn, me, now, ClusterState.FAILED, stranded.get());
        }
        return switch (now.state()) {
            case PREPARED -> prepared(conn, me, now, orders);
            case MIXED -> mixed(conn, me, now, orders);
            case READY_TO_FINALIZE -> {
                Optional<String> behind = allAtTarget(conn, now);
                waiting = behind.map(b -> "finalize waits: " + b).orElse("");
                yield behind.isEmpty() ? move(conn, me, now, ClusterState.FINALIZING, "every node runs " + now.toVersion()) : Optional.empty();
            }
            case FINALIZING -> finalizing(conn, me, now, orders);
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
        List<String> admitted = AdmittedVersions.read(conn, catalog.product().id());
        boolean finalizePending = !admitted.isEmpty() && from.equals(r.toVersion());
        ClusterMode mode = ClusterModeChoice.of(catalog, from, r.toVersion(), serverMajor, finalizePending);
        Optional<String> refusal = targetRefusal(r.toVersion())
                .or(() -> ClusterPlanLimits.refusal(catalog, from, r.toVersion(), serverMajor, finalizePending))
                .or(() -> ClusterReadiness.refusal(nodes, agents, r.primaryNode(), silentAfterSeconds));
        List<String> order = refusal.isPresent() ? List.of() : ClusterReadiness.order(nodes, r.primaryNode(), catalog.product().roles());
        String admittedFrom = finalizePending ? admitted.get(0) : from;
        ClusterStateChange next = new ClusterStateChange(0, r.id(), refusal.isPresent() ? ClusterState.FAILED : ClusterState.PREPARED,
                admittedFrom, r.toVersion(), mode, r.primaryNode(), order, 0, me.holder(),
                refusal.map(x -> "refused before anything was touched: " + x)
                        .orElse("asked by " + r.requestedBy() + "; checks passed for " + order.size() + " node(s); "
                                + (finalizePending ? "every node runs " + from + " already: this finalizes the rolling upgrade"
                                        : mode == ClusterMode.ROLLING ? "rolling: one node at a time while the others serve"
                                        : "primary-first: the other nodes stop while the primary upgrades")), "");
        return ClusterLog.append(conn, me, seq, next) ? Optional.of(next.state() + ": " + next.reason()) : Optional.empty();
    }

    private Optional<String> prepared(Connection conn, Leadership me, ClusterStateChange now, List<Order> orders) throws SQLException {
        if (now.mode() == ClusterMode.ROLLING) {
            return preparedRolling(conn, me, now, orders);
        }
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
                        + "; from here a rollback restores the primary's backup" + RelocationWatch.undoNote(conn, now))
                : Optional.empty();
    }

    /** Rolling: nothing stops; the primary expands the schema and upgrades itself while the others serve. */
    private Optional<String> preparedRolling(Connection conn, Leadership me, ClusterStateChange now, List<Order> orders) throws SQLException {
        Action primary = Action.UPGRADE_PRIMARY_ROLLING;
        boolean primaryOrdered = NodeOrders.find(orders, now.primaryNode(), primary).isPresent();
        if (!primaryOrdered && ClusterRequests.next(conn, ClusterRequests.Kind.CANCEL, now.upgradeId()).isPresent()) {
            return move(conn, me, now, ClusterState.CANCELLED, "cancelled before anything was touched; every node serves " + now.fromVersion());
        }
        if (!primaryOrdered) {
            return order(conn, me, now, now.primaryNode(), primary);
        }
        return done(orders, now.primaryNode(), primary)
                ? move(conn, me, now, ClusterState.MIXED, "the primary " + now.primaryNode() + " runs " + now.toVersion() + "; the others serve "
                        + now.fromVersion() + " on the expanded schema until their turn. Until finalize, undoing needs no backup: "
                        + now.fromVersion() + " runs on this schema ('uplift rollback' on each upgraded node)")
                : Optional.empty();
    }

    /** Primary-first ends here; rolling runs FINALIZE (contract migrations) on the primary first, never while a node is behind. */
    private Optional<String> finalizing(Connection conn, Leadership me, ClusterStateChange now, List<Order> orders) throws SQLException {
        boolean finalizeOrdered = NodeOrders.find(orders, now.primaryNode(), Action.FINALIZE).isPresent();
        if (!finalizeOrdered) {
            Optional<String> behind = allAtTarget(conn, now);
            if (behind.isPresent()) {
                return move(conn, me, now, ClusterState.READY_TO_FINALIZE, "finalize stopped: " + behind.get());
            }
            if (now.mode() == ClusterMode.ROLLING) {
                return order(conn, me, now, now.primaryNode(), Action.FINALIZE);
            }
            return move(conn, me, now, ClusterState.STABLE, "finalized: every node runs " + now.toVersion());
        }
        waiting = "finalize runs on the primary " + now.primaryNode();
        return done(orders, now.primaryNode(), Action.FINALIZE)
                ? move(conn, me, now, ClusterState.STABLE, "finalized: every node runs " + now.toVersion() + ", " + now.fromVersion()
                        + " is no longer admitted and the contract migrations ran; from here undoing needs the primary's backup")
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

    /**
     * Empty when every registered node runs the target, is alive and holds the keyset the database
     * recorded; else which is not (a node joined, went silent, or its gate has not yet beaten with the
     * keyset a key rotation left it: finalize waits for that beat, so STABLE means 'check' passes).
     */
    private Optional<String> allAtTarget(Connection conn, ClusterStateChange now) throws SQLException {
        Optional<String> recordedKeyset = KeysetRecord.read(conn).map(KeysetRecord::fingerprint);
        for (NodeInfo n : registry.read(conn).nodes()) {
            if (!now.toVersion().equals(n.programVersion())) {
                return Optional.of("node " + n.nodeId() + " (" + n.home() + ") runs " + n.programVersion() + ", not " + now.toVersion()
                        + ": upgrade it ('uplift upgrade --home " + n.home() + " --to " + now.toVersion() + "' or its agent), or forget it");
            }
            if (NodeLiveness.silent(n.heartbeatAgeSeconds())) {
                return Optional.of("node " + n.nodeId() + " is silent for " + n.heartbeatAgeSeconds() + " s: start it, or 'uplift nodes forget "
                        + n.nodeId() + "'");
            }
            if (recordedKeyset.isPresent() && n.keysetFingerprint() != null && !recordedKeyset.get().equals(n.keysetFingerprint())) {
                return Optional.of("node " + n.nodeId() + " (" + n.home() + ") last reported keyset " + shortFingerprint(n.keysetFingerprint())
                        + ", not the database's " + shortFingerprint(recordedKeyset.get()) + ": its gate reports the new one at its next"
                        + " heartbeat; if it does not, 'uplift check --home " + n.home() + "' says why");
            }
        }
        return Optional.empty();
    }

    private static String shortFingerprint(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
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
