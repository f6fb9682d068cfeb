package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.api.DemoSettings;
import io.uplift.testsupport.ClusterAgents;
import io.uplift.testsupport.LockboxCluster;
import io.uplift.testsupport.TestPostgres;
import io.uplift.testsupport.UpliftJvm;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three Lockbox nodes on one PostgreSQL, three agents as real processes: a primary-first upgrade
 * 1.0 -> 2.1 asked on node 1 goes through the exact sequence of cluster states and ends with every
 * node serving 2.1; then a rolling upgrade 2.1 -> 2.2 (Lockbox 2.2 declares cluster-mode: rolling)
 * under a load generator acting as a load balancer fails no request at all, while 2.1 and 2.2 nodes
 * serve side by side, and ends with the contract migration applied.
 */
class ClusterUpgradeIT {
    static final List<String> AGENT_PACE = ClusterAgents.PACE;

    private LockboxCluster cluster;
    private ClusterAgents agents;
    private Path work;

    @BeforeEach
    void startClusterAndAgents() {
        cluster = LockboxCluster.start();
        work = TestPostgres.newTraversableTempDir();
        agents = ClusterAgents.startFor(cluster, work);
    }

    @AfterEach
    void stopAll() {
        if (agents != null) {
            agents.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void primaryFirstTo21ThenRollingTo22WithoutAFailedRequest() throws Exception {
        primaryFirstUpgradeGoesThroughEveryStateAndEndsWithEveryNodeServingTheNewVersion();
        rollingUpgradeFailsNoRequestAndFinalizesOnceEveryNodeRunsTheNewRelease();
    }

    private void rollingUpgradeFailsNoRequestAndFinalizesOnceEveryNodeRunsTheNewRelease() throws Exception {
        UpliftJvm.Result plan = UpliftJvm.run(work, Duration.ofSeconds(60), "plan", "--to", "2.2", "--home", cluster.node(1).home().toString());
        assertThat(plan.out()).as(plan.toString()).contains("In a cluster: rolling");
        Path load = Files.createDirectories(work.resolve("load-rolling"));
        UpliftJvm.Result asked = upgradeUnderLoad(load, "2.2", "--balance");
        String printed = Files.readString(load.resolve("load.out"));

        assertThat(asked.exit()).as(asked + agents.logs()).isZero();
        try (Connection conn = cluster.connect()) {
            ClusterStateChange last = ClusterLog.latest(conn).orElseThrow();
            assertThat(last.mode()).isEqualTo(io.uplift.api.ClusterMode.ROLLING);
            assertThat(ClusterLog.history(conn, last.upgradeId()).stream().map(ClusterStateChange::state).toList()).as(asked.out())
                    .containsExactly(ClusterState.PREPARED, ClusterState.MIXED, ClusterState.READY_TO_FINALIZE, ClusterState.FINALIZING,
                            ClusterState.STABLE);
            assertThat(NodeOrders.of(conn, last.upgradeId()).stream().map(o -> o.action().name()).toList())
                    .as("rolling: nothing is stopped for the primary, and finalize ran")
                    .contains("UPGRADE_PRIMARY_ROLLING", "UPGRADE_NODE", "FINALIZE").doesNotContain("STOP", "UPGRADE_PRIMARY");
            assertThat(io.uplift.install.AdmittedVersions.read(conn, "lockbox")).as("2.1 is no longer admitted").isEmpty();
            try (var st = conn.createStatement(); var rs = st.executeQuery("SELECT is_nullable FROM information_schema.columns"
                    + " WHERE table_name = 'secrets' AND column_name = 'stored_by'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("the contract migration ran at finalize").isEqualTo("NO");
            }
        }
        for (LockboxCluster.Node node : cluster.nodes()) {
            assertThat(node.uplift().status().installedVersion()).as("node " + node.number()).isEqualTo("2.2");
        }
        JsonNode report = new ObjectMapper().readTree(load.resolve("report.json").toFile());
        assertThat(report.at("/requests/failed").asLong()).as("requests failed behind the balancer\n" + printed).isZero();
        assertThat(report.at("/requests/refusedForMaintenance").asLong()).as("no maintenance mode in a rolling upgrade\n" + printed).isZero();
        assertThat(report.at("/acknowledgedWrites/secrets/acknowledged").asLong()).as(printed).isPositive();
        assertThat(report.at("/acknowledgedWrites/secrets/lost").asLong()).as("acknowledged writes lost\n" + printed).isZero();
        Map<String, JsonNode> seen = new java.util.HashMap<>();
        report.at("/versions").forEach(v -> seen.put(v.get("version").asText(), v.get("seen")));
        assertThat(seen).as(printed).containsKeys("2.1", "2.2");
        assertThat(seen.get("2.2").get("startSecond").asDouble()).as("2.1 and 2.2 served side by side (2.2 answered before 2.1's last answer)\n"
                + printed).isLessThan(seen.get("2.1").get("endSecond").asDouble());
        report.at("/nodes").forEach(n -> System.out.println("rolling: node " + n.get("url").asText() + " write freeze "
                + n.at("/writes/freeze") + ", rerouted " + n.at("/requests/rerouted")));
    }

    /** Asks for the cluster upgrade to {@code to} on node 1 while the load generator runs over every node; prints its summary. */
    private UpliftJvm.Result upgradeUnderLoad(Path load, String to, String... loadFlags) throws Exception {
        Process users = startLoad(load, loadFlags);
        UpliftJvm.Result asked = agents.run(Duration.ofMinutes(5), "cluster", "upgrade", "--to", to, "--yes",
                "--home", cluster.node(1).home().toString());
        Files.writeString(load.resolve("done"), "");
        assertThat(users.waitFor(120, TimeUnit.SECONDS)).as("the load generator ends").isTrue();
        System.out.println(Files.readString(load.resolve("load.out")));
        return asked;
    }

    private Process startLoad(Path load, String... extra) throws java.io.IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-jar",
                DemoSettings.loadGenerator().toString(), "--url", cluster.urls(), "--token-file", cluster.node(2).tokenFile().toString(),
                "--rate", "40", "--workers", "4", "--until-file", load.resolve("done").toString(), "--verify-deadline", "60s",
                "--report", load.resolve("report.json").toString()));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(load.resolve("load.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private void primaryFirstUpgradeGoesThroughEveryStateAndEndsWithEveryNodeServingTheNewVersion() throws Exception {
        Path load = Files.createDirectories(work.resolve("load"));
        UpliftJvm.Result asked = upgradeUnderLoad(load, "2.1");
        String printed = Files.readString(load.resolve("load.out"));

        assertThat(asked.exit()).as(asked + agents.logs()).isZero();
        List<ClusterState> states = states();
        assertThat(states).as(asked.out()).containsExactly(ClusterState.PREPARED, ClusterState.MIXED, ClusterState.READY_TO_FINALIZE,
                ClusterState.FINALIZING, ClusterState.STABLE);
        assertThat(cluster.node(1).uplift().nodes().nodes()).hasSize(3).allSatisfy(n -> assertThat(n.programVersion()).isEqualTo("2.1"));
        for (LockboxCluster.Node node : cluster.nodes()) {
            assertThat(node.uplift().status().installedVersion()).as("node " + node.number()).isEqualTo("2.1");
        }
        UpliftJvm.Result nodes = UpliftJvm.run(work, Duration.ofSeconds(60), "nodes", "--home", cluster.node(3).home().toString());
        assertThat(nodes.out()).as(nodes.toString()).contains("Cluster        STABLE").contains("UPGRADE_PRIMARY")
                .contains("UPGRADE_NODE").contains("finalized: every node runs 2.1");
        JsonNode status = new ObjectMapper().readTree(UpliftJvm.run(work, Duration.ofSeconds(60), "cluster", "status", "--json",
                "--home", cluster.node(2).home().toString()).out());
        assertThat(status.get("state").asText()).isEqualTo("STABLE");
        assertThat(status.get("agents")).hasSize(3);
        assertThat(status.get("nodes")).hasSize(3).allSatisfy(n -> assertThat(n.get("outcome").asText()).isEqualTo("DONE"));
        JsonNode report = new ObjectMapper().readTree(load.resolve("report.json").toFile());
        assertThat(report.at("/acknowledgedWrites/secrets/acknowledged").asLong()).as(printed).isPositive();
        assertThat(report.at("/acknowledgedWrites/secrets/lost").asLong()).as("acknowledged writes lost\n" + printed).isZero();
    }

    private List<ClusterState> states() throws SQLException {
        try (Connection conn = cluster.connect()) {
            long id = ClusterLog.latest(conn).orElseThrow().upgradeId();
            return ClusterLog.history(conn, id).stream().map(ClusterStateChange::state).toList();
        }
    }
}
