package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.proto.Keyset;
import com.google.protobuf.ExtensionRegistryLite;
import io.uplift.Uplift;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.UpgradeListener;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeTarget;
import io.uplift.keys.InstallationKeyset;
import io.uplift.keys.KeysetEntries;
import io.uplift.keys.KeysetFile;
import io.uplift.keys.KeysetStore;
import io.uplift.testsupport.ClusterAgents;
import io.uplift.testsupport.LockboxCluster;
import io.uplift.testsupport.ManagedServerTo16;
import io.uplift.testsupport.TestPostgres;
import io.uplift.testsupport.UpliftJvm;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 5: a cluster upgrade 2.1 -> 3.0 whose release requires a key rotation, on three
 * Lockbox nodes whose database server is PostgreSQL 16 already (so 3.0 needs no database move),
 * with three agents as real processes. The primary rotates; the other nodes get the new key
 * wrapped through the database, add it, prove they decrypt every value; only then do the old keys
 * retire on every node. No key travels or lands anywhere in clear.
 */
class ClusterKeyRotationIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LockboxCluster cluster;
    private ClusterAgents agents;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path work;

    @BeforeEach
    void clusterAt21OnPostgres16WithAgents() {
        cluster = LockboxCluster.start(3, home -> {
            ManagedServerTo16.move(home);
            UpgradeResult to21 = Uplift.configure().home(home).load().upgrade(new UpgradeTarget("2.1"), UpgradeListener.NONE);
            assertThat(to21.outcome()).as(to21.message()).isEqualTo(UpgradeResult.Outcome.DONE);
        });
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
    void theRotationReachesEveryNodesKeysetAndTheOldKeyRetiresEverywhereWithoutAKeyInClear() throws Exception {
        Map<Long, String> written = writeOneSecretPerNode();
        long oldKey = keyset(cluster.node(1)).primaryKeyId();
        assertThat(cluster.nodes()).allSatisfy(n -> assertThat(keyset(n).primaryKeyId()).isEqualTo(oldKey));

        UpliftJvm.Result asked = agents.run(Duration.ofMinutes(8), "cluster", "upgrade", "--to", "3.0", "--yes",
                "--home", cluster.node(1).home().toString());

        assertThat(asked.exit()).as(asked + agents.logs()).isZero();
        assertEveryNodeHoldsOnlyTheNewKeyAndServesTheOldSecrets(oldKey, written);
        assertThat(states()).containsExactly(ClusterState.PREPARED, ClusterState.MIXED, ClusterState.READY_TO_FINALIZE,
                ClusterState.FINALIZING, ClusterState.STABLE);
        assertThat(orders()).as("the key orders of the upgrade").containsEntry(cluster.node(2).nodeId() + " ADD_KEY", "DONE")
                .containsEntry(cluster.node(3).nodeId() + " ADD_KEY", "DONE").containsEntry(cluster.node(1).nodeId() + " RETIRE_KEY", "DONE")
                .containsEntry(cluster.node(2).nodeId() + " RETIRE_KEY", "DONE").containsEntry(cluster.node(3).nodeId() + " RETIRE_KEY", "DONE")
                .doesNotContainKey(cluster.node(1).nodeId() + " ADD_KEY");
        assertNoKeyInClearAnywhere(agents.logs() + asked);
    }

    @Test
    void anAgentKilledDuringItsKeyStepIsRestartedAndTheClusterConverges() throws Exception {
        Map<Long, String> written = writeOneSecretPerNode();
        long oldKey = keyset(cluster.node(1)).primaryKeyId();
        LockboxCluster.Node victim = cluster.node(2);
        byte[] before = Files.readAllBytes(KeysetFile.of(victim.home()));

        UpliftJvm asked = UpliftJvm.start(work, Map.of(), "cluster", "upgrade", "--to", "3.0", "--yes", "--home", cluster.node(1).home().toString());
        // Killed the moment its keyset file changes (the new key written, the values not yet proven), or
        // at the latest once its ADD_KEY order is there: either way the order is left unreported.
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        while (System.nanoTime() < deadline && Arrays.equals(before, Files.readAllBytes(KeysetFile.of(victim.home())))) {
            assertThat(asked.isAlive()).as("the cluster upgrade still runs\n" + asked.result(-1) + agents.logs()).isTrue();
            Thread.sleep(2); // polling a file, bounded by the deadline
        }
        assertThat(System.nanoTime() - deadline).as("node 2's keyset changed within the deadline" + agents.logs()).isNegative();
        agents.of(2).signal("KILL");
        assertThat(agents.of(2).exitsWithin(Duration.ofSeconds(30))).isTrue();
        assertThat(orders()).as("killed in its key step: ADD_KEY ordered, not reported" + agents.logs())
                .containsEntry(victim.nodeId() + " ADD_KEY", "").doesNotContainKey(victim.nodeId() + " RETIRE_KEY");
        assertThat(keyset(victim).primaryKeyId()).as("its keyset has the new key already").isNotEqualTo(oldKey);
        UpliftJvm killed = agents.of(2);
        agents.restart(2);

        assertThat(asked.exitsWithin(Duration.ofMinutes(8))).as("the cluster upgrade ends\n" + asked.result(-1) + agents.logs()).isTrue();
        UpliftJvm.Result result = asked.awaitExit(Duration.ofSeconds(5));
        assertThat(result.exit()).as(result + agents.logs()).isZero();
        assertEveryNodeHoldsOnlyTheNewKeyAndServesTheOldSecrets(oldKey, written);
        assertThat(orders()).containsEntry(victim.nodeId() + " ADD_KEY", "DONE").containsEntry(victim.nodeId() + " RETIRE_KEY", "DONE");
        assertNoKeyInClearAnywhere(agents.logs() + killed.out() + killed.err() + result);
    }

    private void assertEveryNodeHoldsOnlyTheNewKeyAndServesTheOldSecrets(long oldKey, Map<Long, String> written) throws Exception {
        InstallationKeyset primary = keyset(cluster.node(1));
        long newKey = primary.primaryKeyId();
        assertThat(newKey).isNotEqualTo(oldKey);
        String recorded;
        try (Connection conn = cluster.connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT fingerprint FROM uplift_keyset")) {
            assertThat(rs.next()).isTrue();
            recorded = rs.getString(1);
        }
        for (LockboxCluster.Node node : cluster.nodes()) {
            InstallationKeyset k = keyset(node);
            assertThat(k.primaryKeyId()).as("node %d's primary key", node.number()).isEqualTo(newKey);
            assertThat(KeysetEntries.enabledNonPrimary(k)).as("node %d's keys that still decrypt besides the primary", node.number()).isEmpty();
            assertThat(KeysetEntries.of(k)).as("node %d keeps the old key, disabled", node.number())
                    .contains(new KeysetEntries.Entry(oldKey, false, KeysetEntries.TinkStatus.DISABLED));
            assertThat(k.fingerprint()).as("node %d's keyset is the database's", node.number()).isEqualTo(recorded);
            for (Map.Entry<Long, String> secret : written.entrySet()) {
                HttpResponse<String> read = get(node, "/api/secrets/" + secret.getKey());
                assertThat(read.statusCode()).as("node %d reads secret %d: %s", node.number(), secret.getKey(), read.body()).isEqualTo(200);
                assertThat(JSON.readTree(read.body()).get("value").asText()).isEqualTo(secret.getValue());
            }
        }
        try (Connection conn = cluster.connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT key_id, wrapped IS NULL, erased_at IS NOT NULL FROM " + KeyHandoverTable.TABLE)) {
            assertThat(rs.next()).as("the handover's row stays as its record").isTrue();
            assertThat(rs.getLong(1)).isEqualTo(newKey);
            assertThat(rs.getBoolean(2)).as("the wrapped key is erased").isTrue();
            assertThat(rs.getBoolean(3)).isTrue();
        }
        UpliftJvm.Result check = UpliftJvm.run(work, Duration.ofSeconds(90), "check", "--home", cluster.node(3).home().toString());
        assertThat(check.out()).as(check.toString()).doesNotContain("different keysets");
    }

    /**
     * The new key's raw bytes (and their hex and base64) appear in no agent or command output, no file
     * of any home (journals, logs, the kept keyset copies are sealed), no row of Uplift's tables, and
     * nowhere in the database server's files (tables and WAL).
     */
    private void assertNoKeyInClearAnywhere(String outputs) throws Exception {
        List<byte[]> forms = new ArrayList<>();
        for (byte[] raw : rawKeys(keyset(cluster.node(1)))) {
            forms.add(raw);
            forms.add(HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
            forms.add(Base64.getEncoder().withoutPadding().encodeToString(raw).getBytes(StandardCharsets.US_ASCII));
        }
        for (byte[] form : forms) {
            assertThat(contains(outputs.getBytes(StandardCharsets.UTF_8), form)).as("a key in the agents' or commands' output").isFalse();
        }
        StringBuilder rows = new StringBuilder();
        try (Connection conn = cluster.connect(); Statement st = conn.createStatement()) {
            for (String table : List.of(KeyHandoverTable.TABLE, ClusterSchema.ORDERS, ClusterSchema.REPORTS, ClusterSchema.STATE,
                    ClusterSchema.AGENTS, "public.uplift_keyset", "public.uplift_nodes")) {
                try (ResultSet rs = st.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rs.next()) {
                        rows.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        for (byte[] form : forms) {
            assertThat(contains(rows.toString().getBytes(StandardCharsets.UTF_8), form)).as("a key in Uplift's rows").isFalse();
        }
        List<Path> places = new ArrayList<>();
        cluster.nodes().forEach(n -> places.addAll(List.of(n.home().resolve(".uplift"), n.home().resolve("data"), n.home().resolve("config"))));
        places.add(cluster.node(1).home().resolve("db/pg16"));
        for (Path place : places) {
            try (Stream<Path> files = Files.walk(place)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    byte[] content = Files.readAllBytes(file);
                    for (byte[] form : forms) {
                        assertThat(contains(content, form)).as("a key in clear in %s", file).isFalse();
                    }
                }
            }
        }
    }

    /** The 32-byte AES keys of a keyset, read here only to be looked for. */
    private static List<byte[]> rawKeys(InstallationKeyset k) throws Exception {
        Keyset proto = Keyset.parseFrom(TinkProtoKeysetFormat.serializeKeyset(k.handle(), InsecureSecretKeyAccess.get(), RegistryConfiguration.get()),
                ExtensionRegistryLite.getEmptyRegistry());
        return proto.getKeyList().stream().map(key -> key.getKeyData().getValue().toByteArray())
                .map(v -> Arrays.copyOfRange(v, v.length - 32, v.length)).toList();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(new String(needle, StandardCharsets.ISO_8859_1));
    }

    private Map<Long, String> writeOneSecretPerNode() throws Exception {
        Map<Long, String> written = new LinkedHashMap<>();
        for (LockboxCluster.Node node : cluster.nodes()) {
            String value = "written-on-node-" + node.number() + "-before-the-rotation";
            HttpRequest request = HttpRequest.newBuilder(URI.create(node.url() + "/api/secrets")).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + node.token()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"keys-it/" + node.number() + "\",\"value\":\"" + value + "\"}")).build();
            HttpResponse<String> created = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            written.put(JSON.readTree(created.body()).get("id").asLong(), value);
        }
        return written;
    }

    private HttpResponse<String> get(LockboxCluster.Node node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + node.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static InstallationKeyset keyset(LockboxCluster.Node node) {
        return KeysetStore.of(KeysetFile.of(node.home())).open(KeyEnvironment.system()).keyset();
    }

    /** "NODE ACTION" -> outcome ("" while unreported), of the latest upgrade. */
    private Map<String, String> orders() throws SQLException {
        Map<String, String> all = new LinkedHashMap<>();
        try (Connection conn = cluster.connect()) {
            if (!ClusterSchema.exists(conn) || ClusterLog.latest(conn).isEmpty()) {
                return all;
            }
            for (NodeOrders.Order o : NodeOrders.of(conn, ClusterLog.latest(conn).get().upgradeId())) {
                all.put(o.nodeId() + " " + o.action(), o.outcome() == null ? "" : o.outcome());
            }
        }
        return all;
    }

    private List<ClusterState> states() throws SQLException {
        try (Connection conn = cluster.connect()) {
            long id = ClusterLog.latest(conn).orElseThrow().upgradeId();
            return ClusterLog.history(conn, id).stream().map(ClusterStateChange::state).toList();
        }
    }
}
