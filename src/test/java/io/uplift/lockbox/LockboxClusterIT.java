package io.uplift.lockbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.Uplift;
import io.uplift.api.CheckReport;
import io.uplift.api.CheckStatus;
import io.uplift.api.DemoSettings;
import io.uplift.api.StatusResult;
import io.uplift.api.UpgradeTarget;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.api.KeyEnvironment;
import io.uplift.catalog.CatalogLoader;
import io.uplift.catalog.TreeHash;
import io.uplift.catalog.Version;
import io.uplift.install.Installation;
import io.uplift.keys.KeysetRecord;
import io.uplift.keys.KeysetStore;
import io.uplift.testsupport.LockboxCluster;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Three Lockbox 1.0 nodes (three homes, three processes) on one product database, as the cluster
 * tests use them: node 1 from the demo, nodes 2 and 3 joined to it. Each node registers itself with
 * its own id and port, all with the same keyset and version; they serve one set of data; and the
 * load generator spread over the three loses nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LockboxClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LockboxCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = LockboxCluster.start();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyNodeIsRegisteredWithItsOwnIdAndPortAndTheSameKeysetAndVersion() throws Exception {
        List<LockboxCluster.Node> nodes = cluster.nodes();
        assertThat(nodes).hasSize(3);
        assertThat(nodes).extracting(LockboxCluster.Node::port).doesNotHaveDuplicates();
        assertThat(nodes).extracting(LockboxCluster.Node::nodeId).doesNotHaveDuplicates();

        Map<String, Map<String, String>> rows = new HashMap<>();
        String recordedFingerprint;
        try (Connection conn = cluster.connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT node_id, home, program_version, keyset_fingerprint FROM uplift_nodes")) {
            while (rs.next()) {
                rows.put(rs.getString(1), Map.of("home", rs.getString(2), "version", rs.getString(3), "keyset", rs.getString(4)));
            }
            recordedFingerprint = KeysetRecord.read(conn).orElseThrow().fingerprint();
        }
        assertThat(rows).hasSize(3);
        for (LockboxCluster.Node node : nodes) {
            Map<String, String> row = rows.get(node.nodeId());
            assertThat(row).as("node %d registered under its id %s", node.number(), node.nodeId()).isNotNull();
            assertThat(row.get("home")).isEqualTo(node.home().toString());
            assertThat(row.get("version")).isEqualTo("1.0");
            assertThat(row.get("keyset")).isEqualTo(recordedFingerprint);
            JsonNode health = JSON.readTree(get(node, "/health", false).body());
            assertThat(health.get("node").asText()).as("node %d answers on its own port", node.number()).isEqualTo(node.nodeId());
            assertThat(health.get("version").asText()).isEqualTo("1.0");
            assertThat(health.get("state").asText()).isEqualTo("serving");
        }
    }

    @Test
    void aJoinedNodeHasTheCatalogsProgramFilesItsOwnNodeLocalFilesAndNoManagedServer() throws Exception {
        LockboxCluster.Node first = cluster.node(1);
        LockboxCluster.Node third = cluster.node(3);
        Installation joined = Installation.open(third.home());

        assertThat(joined.state().managedDatabase()).isNull();
        assertThat(joined.state().version()).isEqualTo("1.0");
        String expected = CatalogLoader.load(DemoSettings.demoCatalog()).release(Version.parse("1.0")).orElseThrow().programFilesSha256();
        assertThat(TreeHash.of(third.home().resolve("app"))).isEqualTo(expected);
        assertThat(joined.databaseSettings().url()).isEqualTo(Installation.open(first.home()).databaseSettings().url());
        // The same keys, sealed with a master key file of its own beside its home.
        Path keyFile = third.home().resolveSibling(third.home().getFileName() + ".master-key");
        assertThat(Files.readString(third.home().resolve("config/keyset.json"))).contains(keyFile.toString());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(KeysetStore.of(third.home().resolve("config/keyset.json")).open(KeyEnvironment.system()).keyset().fingerprint())
                .isEqualTo(KeysetStore.of(first.home().resolve("config/keyset.json")).open(KeyEnvironment.system()).keyset().fingerprint());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(third.home()))).isEqualTo("rwx------");

        // Uplift reads the joined node as any installation: its database through its own settings, not managed from here.
        StatusResult status = third.uplift().status();
        assertThat(status.database().reachable()).isTrue();
        assertThat(status.database().managed()).isFalse();
        assertThat(status.nodeLocalFiles()).extracting(StatusResult.NodeLocalFile::state).containsOnly("unchanged");
        assertThat(status.nodes()).hasSize(3);
        CheckReport check = third.uplift().check(new UpgradeTarget("2.1"));
        assertThat(check.results()).as("%s", check.results()).noneMatch(r -> r.status() == CheckStatus.FAIL);
    }

    @Test
    void aSecretWrittenThroughNodeOneIsReadThroughNodeThree() throws Exception {
        HttpResponse<String> created = post(cluster.node(1), "/api/secrets", "{\"name\":\"cluster/it\",\"value\":\"shared-value\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = JSON.readTree(created.body()).get("id").asLong();

        HttpResponse<String> read = get(cluster.node(3), "/api/secrets/" + id, true);
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).get("value").asText()).isEqualTo("shared-value");
    }

    @Test
    void theLoadGeneratorSpreadOverTheThreeNodesLosesNothing() throws Exception {
        Path dir = Files.createDirectories(cluster.node(1).home().resolveSibling("cluster-load"));
        Path report = dir.resolve("report.json");
        Path output = dir.resolve("load.out");
        Process load = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-jar",
                DemoSettings.loadGenerator().toString(), "--url", cluster.urls(), "--token-file", cluster.node(2).tokenFile().toString(),
                "--rate", "30", "--workers", "4", "--duration", "3s", "--verify-deadline", "20s", "--report", report.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        assertThat(load.waitFor(60, TimeUnit.SECONDS)).as("the load generator ends").isTrue();
        String printed = Files.readString(output);
        assertThat(load.exitValue()).as(printed).isZero();

        JsonNode r = JSON.readTree(report.toFile());
        assertThat(r.at("/requests/failed").asLong()).as(printed).isZero();
        assertThat(r.at("/acknowledgedWrites/secrets/acknowledged").asLong()).as(printed).isPositive();
        assertThat(r.at("/acknowledgedWrites/secrets/lost").asLong()).as(printed).isZero();
        assertThat(r.at("/nodes")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode node = r.at("/nodes/" + i);
            assertThat(node.get("url").asText()).startsWith(cluster.node(i + 1).url());
            assertThat(node.at("/requests/sent").asLong()).as("node %d got its share", i + 1).isPositive();
            assertThat(node.at("/requests/failed").asLong()).isZero();
            assertThat(node.at("/acknowledgedSecrets/lost").asLong()).isZero();
        }
        assertThat(printed).contains("Per node (3 nodes").contains("Result: PASS").doesNotContain(cluster.node(2).token());
    }

    @Test
    void aJoinIntoAFolderInUseInsideTheHomeOrFromADamagedCatalogIsRefusedAndLeavesNothingBehind() throws Exception {
        Path first = cluster.node(1).home();
        Uplift uplift = Uplift.configure().home(first).load();

        Path used = first.resolveSibling("used-node");
        Files.createDirectories(used);
        Files.writeString(used.resolve("notes.txt"), "mine\n");
        assertThatThrownBy(() -> uplift.demoJoinNode(used)).isInstanceOfSatisfying(UpliftException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID);
            assertThat(e.getMessage()).contains(used + " is not empty");
        });
        try (var left = Files.list(used)) {
            assertThat(left.toList()).containsExactly(used.resolve("notes.txt"));
        }
        assertThat(masterKeyFile(used)).doesNotExist();

        assertThatThrownBy(() -> uplift.demoJoinNode(first.resolve("data/node2")))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
        assertThat(first.resolve("data/node2")).doesNotExist();

        // The release's program files changed after the vendor computed their checksum.
        Path damaged = Files.createDirectories(first.resolveSibling("damaged-catalog"));
        Path built = DemoSettings.demoCatalog();
        Files.copy(built.resolve("product.yaml"), damaged.resolve("product.yaml"));
        copyTree(built.resolve("releases/1.0"), damaged.resolve("releases/1.0"));
        Files.writeString(damaged.resolve("releases/1.0/app/README.txt"), "changed\n", java.nio.file.StandardOpenOption.APPEND);
        Path fresh = first.resolveSibling("damaged-node");
        assertThatThrownBy(() -> Uplift.configure().home(first).catalog(damaged).load().demoJoinNode(fresh))
                .isInstanceOfSatisfying(UpliftException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RELEASE_CORRUPT);
                    assertThat(e.getMessage()).contains("program-files-sha256").contains("Nothing was left behind");
                });
        assertThat(fresh).doesNotExist();
        assertThat(masterKeyFile(fresh)).doesNotExist();
    }

    private static Path masterKeyFile(Path home) {
        return home.resolveSibling(home.getFileName() + ".master-key");
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private HttpResponse<String> get(LockboxCluster.Node node, String path, boolean authenticated) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(30)).GET();
        if (authenticated) {
            b.header("Authorization", "Bearer " + node.token());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(LockboxCluster.Node node, String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + node.token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
