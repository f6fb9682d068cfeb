package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import io.uplift.api.ClusterStatus;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.testsupport.LockboxCluster;
import io.uplift.testsupport.TestPostgres;
import io.uplift.testsupport.UpliftJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults during a cluster upgrade, with real processes: Lockbox nodes on one PostgreSQL, agents as
 * separate JVMs that are killed, paused and cut off from their database, and what the cluster makes
 * of it. Each test builds its own cluster; the agents run at a quick pace (lease 3 s) so that a
 * takeover happens in seconds.
 */
class ClusterFaultIT {
    private static final List<String> AGENT_PACE = ClusterUpgradeIT.AGENT_PACE;
    private static final List<ClusterState> PRIMARY_FIRST = List.of(ClusterState.PREPARED, ClusterState.MIXED,
            ClusterState.READY_TO_FINALIZE, ClusterState.FINALIZING, ClusterState.STABLE);
    /** The steps of a secondary's own plan (Plan#forNode) for 1.0 -> 2.1, in the order they run. */
    private static final List<String> SECONDARY_STEPS = List.of("1.1/stage-program-files", "1.1/carry-node-local-files",
            "1.1/stop-services", "1.1/swap-program-files", "1.1/record-node-version", "2.1/stage-program-files",
            "2.1/carry-node-local-files", "2.1/swap-program-files", "2.1/record-node-version", "2.1/start-services");
    private static final Duration UPGRADE_DEADLINE = Duration.ofMinutes(3);

    private LockboxCluster cluster;
    /** Every agent started, killed or not, so that each one is gone after the test. */
    private final List<UpliftJvm> started = new ArrayList<>();
    /** The agent currently serving each node (index = node number - 1). */
    private final List<UpliftJvm> agents = new ArrayList<>();
    private Path work;

    @AfterEach
    void stopAll() {
        started.forEach(a -> {
            if (a.isAlive()) {
                a.signal("CONT"); // a paused JVM is killed all the same, but be sure nothing stays stopped
            }
            a.kill();
        });
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anAgentKilledDuringAJournalStepOfItsNodeIsReplacedAndTheClusterConvergesWithoutRunningAStepTwice() throws SQLException {
        long seed = Optional.ofNullable(System.getenv("UPLIFT_CLUSTER_KILL_SEED")).map(Long::parseLong).orElseGet(System::nanoTime);
        Random random = new Random(seed);
        String step = SECONDARY_STEPS.get(random.nextInt(SECONDARY_STEPS.size()));
        String when = random.nextBoolean() ? "before" : "after";
        System.out.println("ClusterFaultIT kill: UPLIFT_CLUSTER_KILL_SEED=" + seed + " -> node 2's agent killed at " + step + ":" + when);
        killNodeTwosAgentAtAndReplaceIt(3, step, when);
    }

    /** The fixed case: killed just before the new program files take the old ones' place (two nodes: the class must stay short). */
    @Test
    void anAgentKilledJustBeforeItsNodeSwapsProgramFilesIsReplacedAndTheClusterConverges() throws SQLException {
        killNodeTwosAgentAtAndReplaceIt(2, "2.1/swap-program-files", "before");
    }

    /**
     * Node 2's agent parks at {@code step} ({@code when} = before or after it), is killed with SIGKILL
     * and replaced by an agent without the hold point; the cluster must converge with no step run twice.
     */
    private void killNodeTwosAgentAtAndReplaceIt(int nodes, String step, String when) throws SQLException {
        String hold = step + ":" + when;
        startCluster(nodes, Map.of(2, hold));
        ask("cluster", "upgrade", "--to", "2.1", "--yes", "--no-wait", "--home", cluster.node(1).home().toString());
        UpliftJvm held = agents.get(1);
        assertThat(held.awaitErr("uplift-test-hold " + hold, UPGRADE_DEADLINE)).as("node 2's agent parks at " + hold + agentLogs()).isTrue();

        // The secondary's own upgrade runs in MIXED: the primary runs 2.1, so a cancel is refused now.
        assertThat(latestState()).isEqualTo(ClusterState.MIXED);
        UpliftJvm.Result cancel = ask("cluster", "cancel", "--home", cluster.node(1).home().toString());
        assertThat(cancel.exit()).as(cancel.toString()).isEqualTo(27);
        assertThat(cancel.out() + cancel.err()).contains("can no longer be cancelled");

        Instant killedAt = Instant.now();
        held.kill();
        agents.set(1, startAgent(cluster.node(2), Map.of()));

        awaitUpgradeEnd();
        assertThat(states()).as(agentLogs()).containsExactlyElementsOf(PRIMARY_FIRST);
        everyNodeRuns("2.1");

        Path home2 = cluster.node(2).home();
        assertThat(home2.resolve(".uplift/journal.json")).as("node 2's journal is finished and archived").doesNotExist();
        assertThat(reports(cluster.node(2).nodeId())).as("node 2's reports").containsExactly("STOP DONE", "UPGRADE_NODE DONE");

        // The evidence that no step of node 2 ran twice. (1) Its agents' logs: each step is announced when it
        // starts, so across the killed agent and its successor every step of the plan started exactly once.
        String logs = held.out() + agents.get(1).out();
        for (String id : SECONDARY_STEPS) {
            assertThat(startsOf(logs, id)).as("times %s started on node 2 (killed at %s)\n%s", id, hold, logs).isEqualTo(1);
        }
        // (2) Its archived journal, which rewrites a step's startedAt each time the step starts: the steps the
        // killed agent ran kept their start from before the kill, the others started after it.
        JsonNode journal = archivedJournal(home2, "2.1");
        assertThat(journal.get("state").asText()).isEqualTo("DONE");
        int heldAt = SECONDARY_STEPS.indexOf(step);
        for (JsonNode s : journal.get("steps")) {
            String id = s.get("id").asText();
            assertThat(s.get("status").asText()).as(id).isEqualTo("DONE");
            Instant startedAt = Instant.parse(s.get("startedAt").asText());
            int index = SECONDARY_STEPS.indexOf(id);
            boolean ranBeforeKill = index < heldAt || (index == heldAt && when.equals("after"));
            if (ranBeforeKill) {
                assertThat(startedAt).as(id + " ran before the kill and not again").isBefore(killedAt);
            } else {
                assertThat(startedAt).as(id + " ran after the kill").isAfter(killedAt);
            }
        }
    }

    @Test
    void aPausedLeaderIsReplacedAndItsWritesAfterTheTakeoverChangeNothing() throws SQLException {
        startCluster(3, Map.of());
        ask("cluster", "upgrade", "--to", "2.1", "--yes", "--no-wait", "--home", cluster.node(1).home().toString());
        await("PREPARED", Duration.ofSeconds(60), () -> latestStateOrNull() != null);

        ClusterStatus before = await("a leader", Duration.ofSeconds(30), this::statusOrNull, s -> s != null && !s.leader().isEmpty());
        int leaderNode = nodeOfAgent(before.leader());
        UpliftJvm paused = agents.get(leaderNode - 1);
        paused.signal("STOP");
        System.out.println("ClusterFaultIT pause: SIGSTOP to the leader " + before.leader() + " (node " + leaderNode + ", fence "
                + before.leaderFence() + ") in state " + latestState());
        ClusterStatus after;
        try {
            after = await("another agent leading", Duration.ofSeconds(60), this::statusOrNull,
                    s -> s != null && !s.leader().isEmpty() && !s.leader().equals(before.leader()));
        } finally {
            paused.signal("CONT");
        }
        assertThat(after.leaderFence()).isGreaterThan(before.leaderFence());

        awaitUpgradeEnd();
        assertThat(states()).as(agentLogs()).containsExactlyElementsOf(PRIMARY_FIRST);
        everyNodeRuns("2.1");
        assertThat(paused.isAlive()).as("the paused leader runs on").isTrue();
        assertThat(paused.out()).as("the paused leader's log").contains("lost the leader lease (fence " + before.leaderFence() + ")");

        // Every row the old leader (or any earlier fence) wrote precedes the first row of the new fence: what the
        // paused leader tried after the takeover was refused by the fence check inside its own transaction.
        try (Connection conn = cluster.connect()) {
            long newFence = after.leaderFence();
            assertThat(query(conn, "SELECT count(*) FROM uplift_cluster.uplift_cluster_state o WHERE o.fence < ? AND o.seq > (SELECT min(seq)"
                    + " FROM uplift_cluster.uplift_cluster_state WHERE fence >= ?)", newFence, newFence)).as("state rows of an old fence after the takeover")
                    .isZero();
            assertThat(query(conn, "SELECT count(*) FROM uplift_cluster.uplift_cluster_orders o WHERE o.fence < ? AND o.at > (SELECT min(at)"
                    + " FROM uplift_cluster.uplift_cluster_orders WHERE fence >= ?)", newFence, newFence)).as("orders of an old fence after the takeover")
                    .isZero();
            assertThat(query(conn, "SELECT count(*) FROM uplift_cluster.uplift_cluster_state o WHERE o.fence < ? AND o.at > (SELECT min(at)"
                    + " FROM uplift_cluster.uplift_cluster_state WHERE fence >= ?)", newFence, newFence)).as("state rows of an old fence written later")
                    .isZero();
            // One order per node and action: two STOPs, the primary's upgrade, two node upgrades, none twice.
            assertThat(query(conn, "SELECT count(*) FROM uplift_cluster.uplift_cluster_orders")).isEqualTo(5);
            assertThat(query(conn, "SELECT count(*) FROM (SELECT 1 FROM uplift_cluster.uplift_cluster_orders GROUP BY upgrade_id, node_id, action"
                    + " HAVING count(*) > 1) d")).isZero();
            assertThat(query(conn, "SELECT count(*) FROM uplift_cluster.uplift_cluster_state WHERE fence >= ?", newFence))
                    .as("the successor moved the cluster on").isPositive();
        }
    }

    @Test
    void aSecondAgentOnTheSameHomeIsRefusedAndTheFirstKeepsRunning() throws SQLException {
        startCluster(1, Map.of());
        Path home = cluster.node(1).home();
        Timestamp seenBefore = lastSeen(cluster.node(1).nodeId());

        UpliftJvm second = startAgent(cluster.node(1), Map.of());
        UpliftJvm.Result refused = second.awaitExit(Duration.ofSeconds(60));
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(15);
        assertThat(refused.out() + refused.err()).contains(home.toString()).contains("one agent per node");

        UpliftJvm first = agents.get(0);
        first.awaitWhileRunning("a beat of the first agent after the refusal", Duration.ofSeconds(30),
                () -> lastSeen(cluster.node(1).nodeId()).after(seenBefore));
        assertThat(first.isAlive()).isTrue();

        UpliftJvm.Result nothingToCancel = ask("cluster", "cancel", "--home", home.toString());
        assertThat(nothingToCancel.exit()).as(nothingToCancel.toString()).isEqualTo(2);
        assertThat(nothingToCancel.out() + nothingToCancel.err()).contains("nothing to cancel");
    }

    @Test
    void agentsOutliveTheirDatabaseSayWhyAndReconnectWhenItIsBack() throws SQLException {
        startCluster(2, Map.of());
        Map<String, Timestamp> seenBefore = new HashMap<>();
        for (LockboxCluster.Node node : cluster.nodes()) {
            seenBefore.put(node.nodeId(), lastSeen(node.nodeId()));
        }

        cluster.node(1).uplift().stopDatabase();
        for (LockboxCluster.Node node : cluster.nodes()) {
            UpliftJvm agent = agents.get(node.number() - 1);
            agent.awaitWhileRunning("'database unreachable' in node " + node.number() + "'s agent-status", Duration.ofSeconds(60),
                    () -> agentStatus(node).contains("database unreachable ("));
            assertThat(agentStatus(node)).as("the reason is given").matches("(?s).*database unreachable \\(.+\\); next try in .*");
        }
        assertThat(agents).allSatisfy(a -> assertThat(a.isAlive()).isTrue());

        cluster.node(1).uplift().startDatabase();
        for (LockboxCluster.Node node : cluster.nodes()) {
            UpliftJvm agent = agents.get(node.number() - 1);
            agent.awaitWhileRunning("node " + node.number() + "'s agent connected again", Duration.ofSeconds(90),
                    () -> agentStatus(node).endsWith(" connected"));
            agent.awaitWhileRunning("node " + node.number() + "'s agent beating again", Duration.ofSeconds(30),
                    () -> lastSeen(node.nodeId()).after(seenBefore.get(node.nodeId())));
        }
        assertThat(agents).allSatisfy(a -> assertThat(a.isAlive()).isTrue());
    }

    /**
     * A leader paused inside its own write transaction (SIGSTOP between two statements) held the lease row's
     * lock, so the successor's takeover waited for as long as the pause lasted. Played here at the
     * moment that matters, which a SIGSTOP of a whole agent hits only by chance: the server now ends
     * such a session, the successor takes the lease with the next fence, and the paused write, once
     * resumed, fails and changes nothing.
     */
    @Test
    void aLeaderPausedInsideItsWriteTransactionDoesNotKeepTheSuccessorWaiting() throws Exception {
        TestPostgres.Database db = TestPostgres.v16().newDatabase();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch inTransaction = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        try (Connection a = Jdbc.connect(db.jdbcUrl(), db.user(), db.password());
             Connection b = Jdbc.connect(db.jdbcUrl(), db.user(), db.password())) {
            ClusterSchema.ensure(a);
            Leadership first = LeaderLease.tryAcquire(a, "agent-a", Duration.ofSeconds(1)).orElseThrow();
            Future<Object> pausedWrite = threads.submit(() -> Transactions.readWrite(a, () -> {
                assertThat(LeaderLease.holds(a, first)).isTrue(); // the lease row is now locked FOR SHARE
                inTransaction.countDown();
                try {
                    resume.await(); // the pause: the client sends nothing
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                try (Statement st = a.createStatement()) {
                    st.execute("INSERT INTO " + ClusterSchema.ORDERS + " (upgrade_id, node_id, action, fence) VALUES (1, 'node-2', 'STOP', "
                            + first.fence() + ")");
                }
                return null;
            }));
            assertThat(inTransaction.await(30, TimeUnit.SECONDS)).isTrue();
            await("the paused leader's lease to expire", Duration.ofSeconds(30), () -> {
                try {
                    return LeaderLease.current(b).isEmpty();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });

            Future<Optional<Leadership>> takeover = threads.submit(() -> LeaderLease.tryAcquire(b, "agent-b", Duration.ofMinutes(1)));
            Optional<Leadership> successor;
            try {
                successor = takeover.get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("The successor's takeover still waits on the lock of the paused leader's transaction after 30 s");
            }
            assertThat(successor).map(Leadership::fence).contains(first.fence() + 1);

            resume.countDown();
            assertThatThrownBy(() -> pausedWrite.get(30, TimeUnit.SECONDS)).as("the paused leader's write once it resumes")
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SQLException.class);
            assertThat(query(b, "SELECT count(*) FROM " + ClusterSchema.ORDERS)).as("rows the paused leader wrote").isZero();
        } finally {
            resume.countDown();
            threads.shutdownNow();
        }
    }

    // --- the cluster and its agents

    /** A cluster of {@code nodes} Lockbox nodes with one agent each; {@code holds} gives a node's agent a hold point. */
    private void startCluster(int nodes, Map<Integer, String> holds) {
        cluster = LockboxCluster.start(nodes);
        work = TestPostgres.newTraversableTempDir();
        for (LockboxCluster.Node node : cluster.nodes()) {
            String hold = holds.get(node.number());
            agents.add(startAgent(node, hold == null ? Map.of() : Map.of("UPLIFT_TEST_HOLD_AT", hold)));
        }
        agents.get(0).awaitWhileRunning(nodes + " agents beating", Duration.ofSeconds(60), () -> status().agents().size() == nodes);
    }

    private UpliftJvm startAgent(LockboxCluster.Node node, Map<String, String> env) {
        List<String> args = new ArrayList<>(List.of("agent", "--home", node.home().toString()));
        args.addAll(AGENT_PACE);
        UpliftJvm agent = UpliftJvm.start(work, env, args);
        started.add(agent);
        return agent;
    }

    /** Which node (1..) runs the agent named {@code agentId} ("NODEID@host:pid:suffix"). */
    private int nodeOfAgent(String agentId) {
        for (LockboxCluster.Node node : cluster.nodes()) {
            if (agentId.startsWith(node.nodeId() + "@")) {
                return node.number();
            }
        }
        throw new AssertionError("No node of the cluster runs the agent " + agentId);
    }

    private UpliftJvm.Result ask(String... args) {
        return UpliftJvm.start(work, Map.of(), args).awaitExit(Duration.ofSeconds(60));
    }

    private void awaitUpgradeEnd() {
        ClusterState last = await("the cluster upgrade's end", UPGRADE_DEADLINE, this::latestStateOrNull, s -> s != null && s.ended());
        assertThat(last).as(agentLogs()).isEqualTo(ClusterState.STABLE);
    }

    private void everyNodeRuns(String version) {
        assertThat(cluster.node(1).uplift().nodes().nodes()).hasSize(cluster.nodes().size())
                .allSatisfy(n -> assertThat(n.programVersion()).as(n.nodeId()).isEqualTo(version));
        for (LockboxCluster.Node node : cluster.nodes()) {
            assertThat(node.uplift().status().installedVersion()).as("status of node " + node.number()).isEqualTo(version);
        }
    }

    // --- reading what happened

    private ClusterStatus status() {
        return cluster.node(1).uplift().clusterStatus();
    }

    /** The status while polling; null when the read failed (the primary's upgrade ends other sessions now and then). */
    private ClusterStatus statusOrNull() {
        try {
            return status();
        } catch (UpliftException e) {
            return null;
        }
    }

    private ClusterState latestState() {
        return Optional.ofNullable(latestStateOrNull()).orElseThrow(() -> new AssertionError("no cluster state yet"));
    }

    /** Null when there is none yet, or when the read failed (the primary's upgrade ends other sessions now and then). */
    private ClusterState latestStateOrNull() {
        try (Connection conn = cluster.connect()) {
            return ClusterLog.latest(conn).map(ClusterStateChange::state).orElse(null);
        } catch (SQLException | UpliftException e) {
            return null;
        }
    }

    private List<ClusterState> states() throws SQLException {
        try (Connection conn = cluster.connect()) {
            long id = ClusterLog.latest(conn).orElseThrow().upgradeId();
            return ClusterLog.history(conn, id).stream().map(ClusterStateChange::state).toList();
        }
    }

    /** The node's reports as "ACTION OUTCOME", one per order (the table's key allows no more). */
    private List<String> reports(String nodeId) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection conn = cluster.connect();
             PreparedStatement ps = conn.prepareStatement("SELECT action, outcome FROM uplift_cluster.uplift_cluster_reports WHERE node_id = ? ORDER BY at")) {
            ps.setString(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return rows;
    }

    private Timestamp lastSeen(String nodeId) {
        try (Connection conn = cluster.connect();
             PreparedStatement ps = conn.prepareStatement("SELECT last_seen FROM uplift_cluster.uplift_agents WHERE node_id = ?")) {
            ps.setString(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getTimestamp(1) : new Timestamp(0);
            }
        } catch (SQLException | RuntimeException e) {
            return new Timestamp(0); // the database is still coming back: no beat seen
        }
    }

    private static long query(Connection conn, String sql, long... params) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setLong(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String agentStatus(LockboxCluster.Node node) {
        return AgentStatusFile.read(node.home().resolve(".uplift")).orElse("");
    }

    /** How often the agent logs announce that step {@code id} starts ("INSTANT ID: title"; undos are "undo ID: ..."). */
    private static int startsOf(String logs, String id) {
        Matcher m = Pattern.compile("(?m)^\\S+ " + Pattern.quote(id) + ": ").matcher(logs);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The one archived journal (HOME/.uplift/history/*.json) of the node's upgrade to {@code target}. */
    private static JsonNode archivedJournal(Path home, String target) {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(home.resolve(".uplift/history"))) {
            List<JsonNode> journals = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                JsonNode j = json.readTree(f.toFile());
                if (target.equals(j.path("target").asText())) {
                    journals.add(j);
                }
            }
            assertThat(journals).as("archived journals to " + target + " in " + home).hasSize(1);
            return journals.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String agentLogs() {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < started.size(); i++) {
            logs.append("\n--- agent ").append(i + 1).append('\n').append(started.get(i).out()).append(started.get(i).err());
        }
        return logs.toString();
    }

    // --- polling with a deadline

    /** Polls {@code probe} until its value passes {@code ok}; returns that value. */
    private <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<T> ok) {
        AtomicReference<T> seen = new AtomicReference<>();
        await(what, timeout, () -> {
            seen.set(probe.get());
            return ok.test(seen.get());
        });
        return seen.get();
    }

    private void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s" + agentLogs());
            }
            try {
                Thread.sleep(50); // polling interval, bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
