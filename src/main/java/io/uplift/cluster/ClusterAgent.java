package io.uplift.cluster;

import io.uplift.api.AgentListener;
import io.uplift.api.AgentSettings;
import io.uplift.api.ClusterStateChange;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.install.Installation;
import io.uplift.keys.tokens.ComponentTokenSwitch;
import io.uplift.journal.HomeLock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * 'uplift agent': one per node, for as long as the node lives. Each round it beats in uplift_agents,
 * keeps or seeks the leader lease (the leader runs {@link ClusterCoordinator}), and hands this node's
 * next order to its one worker thread, which reports how it ended. Rounds follow a notification or
 * the poll interval; a database that cannot be reached is tried again with a growing pause (up to
 * {@link #MAX_BACKOFF}), and the reason is kept in HOME/.uplift/agent-status for 'uplift nodes'.
 */
public final class ClusterAgent {
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** Twice the pause, at most {@link #MAX_BACKOFF}: how long to wait before the next try while the database is away. */
    static Duration nextBackoff(Duration pause) {
        Duration doubled = pause.multipliedBy(2);
        return doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
    }

    private final Installation installation;
    private final ClusterCoordinator coordinator;
    private final NodeWork work;
    private final AgentSettings settings;
    private final AgentListener listener;
    private final AgentStatusFile statusFile;

    ClusterAgent(Installation installation, Catalog catalog, NodeWork work, AgentSettings settings, AgentListener listener) {
        this.installation = installation;
        this.coordinator = new ClusterCoordinator(catalog, new NodeRegistry(installation), settings.silentAfter().toSeconds());
        this.work = work;
        this.settings = settings;
        this.listener = listener;
        this.statusFile = new AgentStatusFile(installation.upliftDir());
    }

    /** The agent of {@code installation}: its orders run through {@code engine}, the node's upgrade engine and services. */
    public static ClusterAgent of(Installation installation, Catalog catalog, NodeEngine engine, AgentSettings settings,
            AgentListener listener) {
        ComponentTokens tokens = new ComponentTokens(installation, new ComponentTokenSwitch(installation, catalog), listener);
        return new ClusterAgent(installation, catalog, new NodeWork(installation, engine, listener, catalog, tokens), settings, listener);
    }

    /** Runs until {@code stop} is set (SIGTERM, Ctrl-C); refuses a second agent on the same home. */
    public void run(AtomicBoolean stop) throws InterruptedException {
        try (HomeLock lock = HomeLock.tryAcquire(installation.upliftDir().resolve("agent.lock"), "uplift agent").orElseThrow(() ->
                new UpliftException(ErrorCode.LOCKED, "Another agent already runs on " + installation.home() + " ("
                        + HomeLock.holder(installation.upliftDir().resolve("agent.lock")).orElse("holder unknown")
                        + "): one agent per node. Stop that one first, or leave it running."))) {
            String nodeId = awaitNodeId(stop);
            if (nodeId == null) {
                return;
            }
            AgentRound round = new AgentRound(stop, nodeId, nodeId + "@" + host() + ":" + ProcessHandle.current().pid() + ":" + randomSuffix());
            listener.event("agent " + round.agentId + " for node " + nodeId + " of " + installation.home());
            try (WakeUp wake = new WakeUp(this::connect)) {
                Duration backoff = settings.poll();
                while (!stop.get()) {
                    try {
                        if (round.run()) {
                            wake.close(); // it listened on the database that was left; the next wait listens on the new one
                            continue;
                        }
                        backoff = settings.poll();
                        wake.await(settings.poll());
                    } catch (SQLException | RuntimeException e) {
                        // The database away is the usual cause; anything else (a row this version cannot read,
                        // written by a newer Uplift) must not end the agent either: it is said, and tried again.
                        round.dropConnection();
                        boolean away = e instanceof SQLException q ? connectionLost(q)
                                : e instanceof UpliftException u && u.code() == ErrorCode.DATABASE_UNREACHABLE;
                        if (away && round.follower.followBack()) {
                            wake.close();
                            backoff = settings.poll();
                            continue;
                        }
                        String why = (away ? "database unreachable (" : "round failed (") + e.getMessage() + "); next try in "
                                + backoff.toMillis() / 1000.0 + " s";
                        listener.event(why);
                        statusFile.write(why);
                        pause(backoff, stop);
                        backoff = nextBackoff(backoff);
                    }
                }
            } finally {
                round.close();
            }
        }
    }

    /** SQLSTATE classes 08 (connection exception) and 57P (the server shut the session or itself down). */
    private static boolean connectionLost(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("57P");
    }

    /** The backoff itself (not a synchronisation), cut short when the agent is told to stop. */
    private static void pause(Duration backoff, AtomicBoolean stop) throws InterruptedException {
        long until = System.nanoTime() + backoff.toNanos();
        while (!stop.get() && System.nanoTime() < until) {
            Thread.sleep(Math.min(200, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
        }
    }

    /** The node id appears at the product's first start; until then there is nothing to coordinate. */
    private String awaitNodeId(AtomicBoolean stop) throws InterruptedException {
        boolean told = false;
        while (!stop.get()) {
            Optional<String> id = NodeId.read(installation.home());
            if (id.isPresent()) {
                return id.get();
            }
            if (!told) {
                listener.event("waiting for the product's first start on this node (its node gate writes .uplift/node-id)");
                statusFile.write("waiting for the product's first start (no .uplift/node-id yet)");
                told = true;
            }
            Thread.sleep(settings.poll().toMillis()); // polling a file: there is no notification for it
        }
        return null;
    }

    /** The cluster's rows: on the primary when this node's database is a mirror. */
    private Connection connect() {
        return CoordinationDatabase.connect(installation);
    }

    /** The state of one agent between rounds: its connection, its leadership, its worker. */
    private final class AgentRound implements AutoCloseable {
        final AtomicBoolean stop;
        final String nodeId;
        final String agentId;
        private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "uplift-agent-order");
            t.setDaemon(true);
            return t;
        });
        private final RelocationFollower follower;
        private Connection conn;
        private Leadership leading;
        private Future<?> running;
        private String activity = "idle";
        private String lastWait = "";

        AgentRound(AtomicBoolean stop, String nodeId, String agentId) {
            this.stop = stop;
            this.nodeId = nodeId;
            this.agentId = agentId;
            this.follower = new RelocationFollower(installation, nodeId, said -> {
                listener.event(said);
                statusFile.write(said);
            });
        }

        /** One round; true when the cluster's database moved and this node's settings point at the new one: reconnect. */
        boolean run() throws SQLException {
            if (conn == null || conn.isClosed()) {
                conn = connect();
                ClusterSchema.ensure(conn);
                statusFile.write("connected");
            }
            RelocationFollower.Outcome moved = follower.follow(conn);
            if (moved == RelocationFollower.Outcome.RECONNECT) {
                dropConnection();
                return true;
            }
            if (moved == RelocationFollower.Outcome.WAITING) {
                // The old database's lease is the marker's for good: nothing to lead there, and no order is given there.
                return false;
            }
            lead();
            AgentBeats.beat(conn, nodeId, agentId, host(), installation.home().toString(), activity());
            takeNextOrder();
            return false;
        }

        private void lead() throws SQLException {
            if (leading != null && !LeaderLease.renew(conn, leading, settings.lease())) {
                listener.event("lost the leader lease (fence " + leading.fence() + "); another agent leads now");
                leading = null;
            }
            if (leading == null) {
                leading = LeaderLease.tryAcquire(conn, agentId, settings.lease()).orElse(null);
                if (leading != null) {
                    listener.event("leading the cluster (fence " + leading.fence() + ")");
                }
            }
            for (int moves = 0; leading != null && moves < 20; moves++) {
                Optional<String> moved = coordinator.step(conn, leading);
                if (moved.isEmpty()) {
                    if (!coordinator.waiting().equals(lastWait)) {
                        lastWait = coordinator.waiting();
                        if (!lastWait.isEmpty()) {
                            listener.event(lastWait);
                        }
                    }
                    break;
                }
                listener.event(moved.get());
            }
        }

        private void takeNextOrder() throws SQLException {
            if (running != null && !running.isDone()) {
                return;
            }
            Optional<ClusterStateChange> latest = ClusterLog.latest(conn);
            if (latest.isEmpty() || latest.get().state().ended()) {
                activity = "idle";
                return;
            }
            Optional<NodeOrders.Order> next = NodeOrders.nextFor(conn, latest.get().upgradeId(), nodeId);
            if (next.isEmpty()) {
                activity = "idle";
                return;
            }
            NodeOrders.Order order = next.get();
            activity = order.action().name() + " to " + latest.get().toVersion();
            listener.event("carrying out " + activity);
            running = worker.submit(() -> carryOut(order, latest.get().toVersion()));
        }

        private void carryOut(NodeOrders.Order order, String toVersion) {
            String outcome;
            String detail;
            try {
                detail = work.run(order.action(), toVersion);
                outcome = NodeOrders.DONE;
            } catch (RuntimeException e) {
                if (stop.get()) {
                    // Stopped on purpose (the engine paused after its step): not a failure. The order stays
                    // unreported, and the next agent on this home resumes its journal.
                    listener.event(order.action() + " paused as the agent stops; the next agent resumes it");
                    return;
                }
                outcome = NodeOrders.FAILED;
                detail = e.getMessage() + " (on " + installation.home() + ": 'uplift status --home " + installation.home()
                        + "' tells what to resume or roll back)";
            }
            listener.event(order.action() + " " + outcome + ": " + detail);
            reportUntilDone(order, outcome, detail);
        }

        /** A report must not be lost, else the leader waits for ever: tried until it is written or the agent stops. */
        private void reportUntilDone(NodeOrders.Order order, String outcome, String detail) {
            Duration pause = settings.poll();
            while (!Thread.currentThread().isInterrupted()) {
                try (Connection c = connect()) {
                    NodeOrders.report(c, order.upgradeId(), nodeId, order.action(), outcome, detail);
                    return;
                } catch (SQLException | UpliftException e) {
                    listener.event("could not report " + order.action() + " yet (" + e.getMessage() + "); trying again");
                    try {
                        Thread.sleep(pause.toMillis()); // backoff while the database is away
                    } catch (InterruptedException stop) {
                        return; // the order is reported again by the next agent: it finds it unreported and resumes it
                    }
                    pause = nextBackoff(pause);
                }
            }
        }

        private String activity() {
            String order = running != null && !running.isDone() ? activity : "idle";
            return leading == null ? order : "leading (fence " + leading.fence() + "); " + order;
        }

        /**
         * Closes a broken connection. The leadership is kept: the lease is on the database, and once the
         * connection is back the renewal tells whether it still runs (the same fence goes on) or expired
         * meanwhile (another agent may lead; this one seeks it anew). Forgetting it here would leave the
         * cluster without a leader until the lease ran out.
         */
        void dropConnection() {
            if (conn != null) {
                try {
                    conn.close();
                } catch (SQLException e) {
                    // Broken already.
                }
                conn = null;
            }
        }

        @Override
        public void close() throws InterruptedException {
            // SIGTERM set the engine's pause flag too: the running step finishes, the engine stops after it,
            // and the order stays unreported for the next agent, which resumes the node's journal.
            worker.shutdown();
            while (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                listener.event("waiting for the running step of " + activity + " to finish before stopping");
            }
            if (leading != null && conn != null) {
                try {
                    LeaderLease.release(conn, leading);
                } catch (SQLException e) {
                    // The lease then simply expires.
                }
            }
            dropConnection();
        }
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String randomSuffix() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
