package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.api.ClusterState;
import io.uplift.api.NodeInfo;
import io.uplift.install.DatabaseSettings;
import io.uplift.testsupport.LockboxCluster;
import io.uplift.testsupport.StreamingStandby;
import io.uplift.testsupport.TestPostgres;
import io.uplift.testsupport.UpliftJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The document's database mirroring, on a real streaming standby: node 2's node-local
 * config/database.properties points at a mirror of the cluster's database (url) and names the
 * primary (primary.url). Its Lockbox serves reads through the mirror, its gate registers it on the
 * primary, and its agent (a real child JVM) coordinates there, so a primary-first cluster upgrade
 * 1.0 -> 2.1 asked on node 1 ends STABLE with node 2 at 2.1, still on the mirror, its settings file
 * byte for byte as before, and listed by 'uplift nodes'.
 */
class MirroredNodeClusterIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private LockboxCluster cluster;
    private StreamingStandby mirror;
    private final List<UpliftJvm> agents = new ArrayList<>();
    private Path work;
    private Path mirroredSettings;

    @BeforeEach
    void clusterWithNode2OnAMirror() throws Exception {
        cluster = LockboxCluster.startAfter(2, homes -> mirror = StreamingStandby.ofServerManagedBy(homes.get(0)));
        work = TestPostgres.newTraversableTempDir();
        LockboxCluster.Node node2 = cluster.node(2);
        // Node 2 made its app token on the primary while it started (a write); now it moves to the mirror.
        node2.uplift().stopServices();
        mirroredSettings = node2.home().resolve(DatabaseSettings.FILE);
        DatabaseSettings own = DatabaseSettings.read(node2.home());
        String database = own.url().substring(own.url().lastIndexOf('/') + 1);
        Files.write(mirroredSettings, new DatabaseSettings(mirror.jdbcUrl(database), own.user(), own.password(), own.url()).toBytes());
        node2.uplift().startServices();
        awaitHealth(node2, "1.0");
        for (LockboxCluster.Node node : cluster.nodes()) {
            List<String> args = new ArrayList<>(List.of("agent", "--home", node.home().toString()));
            args.addAll(ClusterUpgradeIT.AGENT_PACE);
            agents.add(UpliftJvm.start(work, Map.of(), args));
        }
        agents.get(1).awaitWhileRunning("both agents beating, node 2's on the primary", DEADLINE,
                () -> cluster.node(1).uplift().clusterStatus().agents().size() == 2);
    }

    @AfterEach
    void stopAll() {
        agents.forEach(UpliftJvm::kill);
        if (cluster != null) {
            cluster.close();
        }
        if (mirror != null) {
            mirror.close();
        }
    }

    @Test
    void clusterUpgradeBringsTheMirroredNodeToTheNewReleaseAndLeavesItOnTheMirror() throws Exception {
        LockboxCluster.Node node2 = cluster.node(2);
        byte[] settingsBefore = Files.readAllBytes(mirroredSettings);
        assertThat(new String(settingsBefore)).contains("primary.url=");
        JsonNode before = health(node2);
        assertThat(before.get("state").asText()).as("a node on a mirror serves read-only").isEqualTo("read-only");
        assertThat(registeredVersions()).as("node 2 registered on the primary through its gate").containsEntry(node2.nodeId(), "1.0");

        UpliftJvm.Result fromTheMirror = UpliftJvm.run(work, DEADLINE, "cluster", "upgrade", "--to", "2.1", "--yes",
                "--home", node2.home().toString());
        assertThat(fromTheMirror.exit()).as(fromTheMirror.toString()).isEqualTo(2);
        assertThat(fromTheMirror.out() + fromTheMirror.err()).contains("read-only mirror").contains("cannot be the primary of a cluster upgrade")
                .contains("nothing was asked");

        UpliftJvm.Result asked = UpliftJvm.start(work, Map.of(), "cluster", "upgrade", "--to", "2.1", "--yes",
                "--home", cluster.node(1).home().toString()).awaitExit(Duration.ofMinutes(5));

        assertThat(asked.exit()).as(asked + agentLogs()).isZero();
        try (Connection conn = cluster.connect()) {
            long id = ClusterLog.latest(conn).orElseThrow().upgradeId();
            assertThat(ClusterLog.history(conn, id).stream().map(s -> s.state()).toList()).as(asked.out())
                    .endsWith(ClusterState.STABLE).doesNotContain(ClusterState.FAILED);
            assertThat(NodeOrders.of(conn, id)).as("node 2's part ran and was reported from the mirror node")
                    .anySatisfy(o -> {
                        assertThat(o.nodeId()).isEqualTo(node2.nodeId());
                        assertThat(o.action()).isEqualTo(NodeOrders.Action.UPGRADE_NODE);
                        assertThat(o.outcome()).isEqualTo(NodeOrders.DONE);
                    });
        }
        assertThat(node2.uplift().status().installedVersion()).isEqualTo("2.1");
        JsonNode after = awaitHealth(node2, "2.1");
        assertThat(after.get("state").asText()).as("still on the mirror").isEqualTo("read-only");
        HttpResponse<String> read = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node2.url() + "/api/secrets?limit=5"))
                .header("Authorization", "Bearer " + node2.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).as("a read through the mirror: " + read.body()).isEqualTo(200);
        assertThat(Files.readAllBytes(mirroredSettings)).as("node 2's database settings, node-local, untouched").isEqualTo(settingsBefore);
        assertThat(registeredVersions()).containsEntry(node2.nodeId(), "2.1").containsEntry(cluster.node(1).nodeId(), "2.1");

        UpliftJvm.Result nodes = UpliftJvm.run(work, DEADLINE, "nodes", "--home", node2.home().toString());
        assertThat(nodes.exit()).as(nodes.toString()).isZero();
        assertThat(nodes.out()).as("'uplift nodes' on the mirrored node reads the primary's rows").contains(node2.nodeId())
                .contains(cluster.node(1).nodeId()).contains("STABLE");
    }

    private Map<String, String> registeredVersions() {
        Map<String, String> versions = new java.util.HashMap<>();
        for (NodeInfo n : cluster.node(1).uplift().nodes().nodes()) {
            versions.put(n.nodeId(), n.programVersion());
        }
        return versions;
    }

    /** Polls /health until it answers with {@code version}; returns its body. */
    private static JsonNode awaitHealth(LockboxCluster.Node node, String version) throws Exception {
        long giveUpAt = System.nanoTime() + DEADLINE.toNanos();
        String last = "nothing yet";
        while (System.nanoTime() < giveUpAt) {
            try {
                JsonNode body = health(node);
                if (body.get("version").asText().equals(version)) {
                    return body;
                }
                last = body.toString();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(100); // polling, bounded by the deadline
        }
        throw new AssertionError("Node " + node.number() + " did not answer /health with " + version + " within " + DEADLINE.toSeconds()
                + " s; last: " + last + ". Its log: " + node.home().resolve("data/lockbox.out"));
    }

    private static JsonNode health(LockboxCluster.Node node) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url() + "/health"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new java.io.IOException("/health answered " + r.statusCode() + ": " + r.body());
        }
        return new ObjectMapper().readTree(r.body());
    }

    private String agentLogs() {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < agents.size(); i++) {
            logs.append("\n--- agent of node ").append(i + 1).append('\n').append(agents.get(i).out()).append(agents.get(i).err());
        }
        return logs.toString();
    }
}
