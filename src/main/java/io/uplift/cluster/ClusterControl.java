package io.uplift.cluster;

import io.uplift.api.AgentInfo;
import io.uplift.api.ClusterNodeProgress;
import io.uplift.api.ClusterMode;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import io.uplift.api.ClusterStatus;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.cluster.NodeOrders.Action;
import io.uplift.install.Installation;
import io.uplift.install.WritableDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What an operator does to the cluster from any node's home: ask for an upgrade with this node as
 * the primary, ask to cancel, read where it stands, follow it. Requests only: the leading agent
 * decides and moves the cluster, so these work the same whichever node they are run on.
 */
public final class ClusterControl {
    private final Installation installation;

    public ClusterControl(Installation installation) {
        this.installation = installation;
    }

    /** Asks the agents to upgrade the cluster to {@code to}, with this home's node as the primary; returns the upgrade's id. */
    public long requestUpgrade(String to) {
        String primary = NodeId.read(installation.home()).orElseThrow(() -> new UpliftException(ErrorCode.INSTALLATION_INVALID,
                installation.home() + " has no node id yet (.uplift/node-id): start the product once on this node, then ask again."));
        if (WritableDatabase.isMirror(installation.databaseSettings())) {
            // The node asking is the upgrade's primary, whose part migrates the database: impossible on a mirror.
            throw new UpliftException(ErrorCode.USAGE, "The database of " + installation.home() + " is a read-only mirror ("
                    + installation.databaseSettings().url() + "), so this node cannot be the primary of a cluster upgrade; nothing was"
                    + " asked. Ask on a node whose database is the primary: 'uplift cluster upgrade --to " + to + " --home THAT_HOME'.");
        }
        return withConnection("asking for the cluster upgrade", conn -> {
            Optional<ClusterStateChange> latest = ClusterLog.latest(conn);
            if (latest.isPresent() && !latest.get().state().ended()) {
                throw new UpliftException(ErrorCode.LOCKED, "A cluster upgrade to " + latest.get().toVersion() + " is under way ("
                        + latest.get().state() + "); nothing was asked. Follow it with 'uplift cluster status', or cancel it while that is safe.");
            }
            Optional<ClusterRequests.Request> waiting = ClusterRequests.next(conn, ClusterRequests.Kind.UPGRADE,
                    latest.map(ClusterStateChange::upgradeId).orElse(0L));
            if (waiting.isPresent()) {
                throw new UpliftException(ErrorCode.LOCKED, "A cluster upgrade to " + waiting.get().toVersion() + " was asked already"
                        + " (request " + waiting.get().id() + ", " + waiting.get().requestedBy() + ") and waits for the leading agent;"
                        + " nothing was asked. Follow it with 'uplift cluster status'.");
            }
            if (AgentBeats.list(conn).isEmpty()) {
                throw new UpliftException(ErrorCode.PREFLIGHT_FAILED, "No agent runs on any node: start 'uplift agent --home HOME' on each"
                        + " node first; nothing was asked.");
            }
            return ClusterRequests.add(conn, ClusterRequests.Kind.UPGRADE, to, primary, "uplift on " + installation.home());
        });
    }

    /** Asks to cancel the upgrade under way; refused, saying why, once the primary's upgrade was ordered. */
    public long requestCancel() {
        return withConnection("asking to cancel the cluster upgrade", conn -> {
            ClusterStateChange now = ClusterLog.latest(conn).filter(s -> !s.state().ended()).orElseThrow(() -> new UpliftException(
                    ErrorCode.USAGE, "No cluster upgrade is under way: nothing to cancel."));
            boolean primaryOrdered = primaryOrdered(NodeOrders.of(conn, now.upgradeId()), now);
            if (now.state() != ClusterState.PREPARED || primaryOrdered) {
                throw new UpliftException(ErrorCode.CANCEL_TOO_LATE, "The cluster upgrade to " + now.toVersion() + " can no longer be"
                        + " cancelled: the primary " + now.primaryNode() + " started its upgrade (state " + now.state() + "). Let it finish,"
                        + " or roll the primary back with 'uplift rollback' on its home (that restores its backup).");
            }
            return ClusterRequests.add(conn, ClusterRequests.Kind.CANCEL, now.toVersion(), now.primaryNode(), "uplift on " + installation.home());
        });
    }

    /** Reads only: before any agent ran (no cluster tables yet) the cluster is STABLE with no history. */
    public ClusterStatus status() {
        return withConnection("reading the cluster state", false, conn -> readIfPresent(conn).orElseGet(() ->
                new ClusterStatus(ClusterState.STABLE, List.of(), List.of(), List.of(), "", 0, "")));
    }

    /** The cluster's status; empty when no agent ever made the cluster tables in this database. */
    static Optional<ClusterStatus> readIfPresent(Connection conn) throws SQLException {
        return ClusterSchema.exists(conn) ? Optional.of(read(conn)) : Optional.empty();
    }

    /**
     * Follows upgrade {@code upgradeId} until it ends, handing each new state to {@code onChange} as it
     * is appended; the last state, or empty after {@code timeout}.
     */
    public Optional<ClusterStateChange> follow(long upgradeId, Duration poll, Duration timeout, Consumer<ClusterStateChange> onChange)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        try (WakeUp wake = new WakeUp(this::connect)) {
            while (System.nanoTime() < deadline) {
                List<ClusterStateChange> history;
                try {
                    history = withConnection("reading the cluster state", false, conn -> ClusterLog.history(conn, upgradeId));
                } catch (UpliftException e) {
                    // The primary's upgrade ends every session when it enters maintenance, and may restart the
                    // server: following goes on until the deadline, as the agents do.
                    wake.await(poll);
                    continue;
                }
                for (ClusterStateChange c : history) {
                    if (c.seq() > seen) {
                        onChange.accept(c);
                        seen = c.seq();
                    }
                }
                if (!history.isEmpty() && history.get(history.size() - 1).state().ended()) {
                    return Optional.of(history.get(history.size() - 1));
                }
                wake.await(poll);
            }
        }
        return Optional.empty();
    }

    static ClusterStatus read(Connection conn) throws SQLException {
        Optional<ClusterStateChange> latest = ClusterLog.latest(conn);
        List<AgentInfo> agents = AgentBeats.list(conn);
        Optional<Leadership> leader = LeaderLease.current(conn);
        if (latest.isEmpty()) {
            return new ClusterStatus(ClusterState.STABLE, List.of(), List.of(), agents, leader.map(Leadership::holder).orElse(""),
                    leader.map(Leadership::fence).orElse(0L), "");
        }
        ClusterStateChange now = latest.get();
        List<NodeOrders.Order> orders = NodeOrders.of(conn, now.upgradeId());
        List<ClusterNodeProgress> nodes = NodeOrders.progress(orders, now.nodes());
        String rollback = now.state().ended() ? "" : now.state() == ClusterState.PREPARED && !primaryOrdered(orders, now) ? "cancel"
                : now.mode() == ClusterMode.ROLLING && NodeOrders.find(orders, now.primaryNode(), Action.FINALIZE).isEmpty() ? "program-files"
                : "backup";
        return new ClusterStatus(now.state(), ClusterLog.history(conn, now.upgradeId()), nodes, agents,
                leader.map(Leadership::holder).orElse(""), leader.map(Leadership::fence).orElse(0L), rollback);
    }

    /** Whether the primary's upgrade (whole, or rolling) was ordered: from then on a cancel is too late. */
    private static boolean primaryOrdered(List<NodeOrders.Order> orders, ClusterStateChange now) {
        return NodeOrders.find(orders, now.primaryNode(), Action.UPGRADE_PRIMARY).isPresent()
                || NodeOrders.find(orders, now.primaryNode(), Action.UPGRADE_PRIMARY_ROLLING).isPresent();
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection conn) throws SQLException;
    }

    private <T> T withConnection(String doing, Query<T> query) {
        return withConnection(doing, true, query);
    }

    private <T> T withConnection(String doing, boolean makeTables, Query<T> query) {
        try (Connection conn = connect()) {
            if (makeTables) {
                ClusterSchema.ensure(conn);
            }
            return query.run(conn);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "While " + doing + " in the database of " + installation.home()
                    + ": " + e.getMessage() + ". Check that the database runs ('uplift status').", e);
        }
    }

    /**
     * Where the cluster's rows are: on the primary when this node's database is a mirror
     * ({@link CoordinationDatabase}), and where the cluster went when a move left its marker there and
     * this node's agent has not pointed the settings at the new server yet: an operator's request or
     * status is then read and written where the agents are, not in the database they left.
     */
    private Connection connect() {
        return DatabaseRelocation.whereTheClusterIs(CoordinationDatabase.connect(installation), installation.databaseSettings());
    }
}
