package io.uplift.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.Uplift;
import io.uplift.api.AgentListener;
import io.uplift.api.AgentSettings;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStatus;
import io.uplift.api.NodeInfo;
import io.uplift.testsupport.LockboxCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The nodes and cluster page over real HTTP, on a real two-node Lockbox cluster (one PostgreSQL, two
 * Lockbox JVMs registered by their node gates) with the console on node 1's home and real agents
 * ('uplift agent', run here through the facade on threads of the test's JVM). Node 2's agent is held
 * stopped while the upgrade is asked, so the cluster waits in PREPARED for node 2 to stop: the cancel
 * from the page is then still safe, and node 2's agent, started again, carries it out.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleNodesIT {
    private static final AgentSettings PACE = new AgentSettings(Duration.ofMillis(300), Duration.ofSeconds(3), Duration.ofSeconds(60));
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private static LockboxCluster cluster;
    private static ConsoleFixture console;
    private static ConsoleClient admin;
    private static Agent agent1;
    private static Agent agent2;

    /** One node's agent on a thread of this JVM, stopped as Ctrl-C stops 'uplift agent'. */
    private record Agent(Uplift uplift, Thread thread, AtomicReference<Throwable> failure) {
        static Agent start(Path home) {
            Uplift uplift = Uplift.configure().home(home).load();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    uplift.runAgent(PACE, AgentListener.NONE);
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "agent of " + home);
            t.start();
            return new Agent(uplift, t, failure);
        }

        void stop() throws InterruptedException {
            uplift.requestPause();
            thread.join(Duration.ofSeconds(30).toMillis());
            assertThat(thread.isAlive()).as("the agent stopped").isFalse();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        cluster = LockboxCluster.start(2);
        console = ConsoleFixture.on(cluster.node(1).home());
        admin = console.signedIn();
        agent1 = Agent.start(cluster.node(1).home());
        agent2 = Agent.start(cluster.node(2).home());
        await("both agents beat", () -> facade().clusterStatus().agents().size() == 2);
        // Node 2's agent beat and stops: the checks still pass (it beat within a minute), but nobody stops node 2.
        agent2.stop();
        agent2 = null;
    }

    @AfterAll
    static void stop() throws Exception {
        for (Agent a : new Agent[] {agent1, agent2}) {
            if (a != null) {
                a.stop();
            }
        }
        if (console != null) {
            console.server().close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Uplift facade() {
        return cluster.node(1).uplift();
    }

    @Test
    @Order(1)
    void thePageListsTheRegisteredNodesWithTheirVersionKeysetAndStatus() {
        String page = admin.get("/nodes").body();

        for (LockboxCluster.Node node : cluster.nodes()) {
            NodeInfo info = facade().nodes().nodes().stream().filter(n -> n.nodeId().equals(node.nodeId())).findFirst().orElseThrow();
            assertThat(page).contains("<span class=\"node-id\">" + node.nodeId() + "</span>");
            assertThat(info.programVersion()).isEqualTo("1.0");
            assertThat(page).contains(info.keysetFingerprint().substring(0, 12)).doesNotContain(info.keysetFingerprint());
        }
        assertThat(page).contains("<span class=\"node-version\">1.0</span>").contains("2 nodes of").contains("version 1.0");
        assertThat(page).contains("id=\"cluster-state\"><span class=\"badge ok\">STABLE</span>");
        assertThat(page).contains("Start a cluster upgrade to this release").doesNotContain("Forget node</button>");
    }

    @Test
    @Order(2)
    void forgettingANodeThatIsAliveIsRefusedWithTheReason() {
        String node2 = cluster.node(2).nodeId();

        String page = admin.post("/nodes/forget", Map.of("node", node2)).body();

        assertThat(page).contains("class=\"notice fail\"").contains("Node " + node2).contains("it is running");
        assertThat(facade().nodes().nodes()).extracting(NodeInfo::nodeId).contains(node2);
    }

    @Test
    @Order(3)
    void aClusterUpgradeAskedFromThePageWaitsForTheNodesAndIsCancelledFromThePage() throws Exception {
        String asked = admin.post("/nodes/cluster-upgrade", Map.of("to", "1.1")).body();
        assertThat(asked).contains("class=\"notice ok\"").contains("to 1.1 asked");
        await("the leader prepares the upgrade", () -> facade().clusterStatus().state() == ClusterState.PREPARED);
        ClusterStatus prepared = facade().clusterStatus();
        assertThat(prepared.history().get(0).toVersion()).isEqualTo("1.1");
        assertThat(prepared.rollback()).isEqualTo("cancel");

        String page = admin.get("/nodes").body();
        assertThat(page).contains("PREPARED").contains("id=\"cluster-upgrade\">" + prepared.history().get(0).upgradeId() + ": 1.0 → 1.1")
                .contains("Cancel the cluster upgrade</button>").doesNotContain("Start a cluster upgrade");

        String cancelled = admin.post("/nodes/cluster-cancel", Map.of()).body();
        assertThat(cancelled).contains("class=\"notice ok\"").contains("Cancel asked");
        agent2 = Agent.start(cluster.node(2).home()); // carries out the STOP it was sent, then the START of the cancel
        await("the cluster is cancelled", () -> facade().clusterStatus().state() == ClusterState.CANCELLED);
        assertThat(facade().nodes().nodes()).extracting(NodeInfo::programVersion).containsOnly("1.0");

        String after = admin.get("/nodes").body();
        assertThat(after).contains("CANCELLED").contains("Start a cluster upgrade to this release");
        String nothing = admin.post("/nodes/cluster-cancel", Map.of()).body();
        assertThat(nothing).contains("class=\"notice fail\"").contains("No cluster upgrade is under way: nothing to cancel.");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long giveUpAt = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(agent1 == null ? null : agent1.failure().get()).as("node 1's agent failed").isNull();
            assertThat(System.nanoTime()).as(what + " within " + DEADLINE.toSeconds() + " s; cluster: " + facade().clusterStatus())
                    .isLessThan(giveUpAt);
            Thread.sleep(200); // polling, bounded by the deadline
        }
    }
}
