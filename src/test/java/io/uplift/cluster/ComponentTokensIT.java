package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.ClusterNodeProgress;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import io.uplift.db.Sha256;
import io.uplift.testsupport.ClusterAgents;
import io.uplift.testsupport.LockboxCluster;
import io.uplift.testsupport.TestPostgres;
import io.uplift.testsupport.UpliftJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 6: a web, a worker and a proxy node on one PostgreSQL, three agents as real
 * processes. The worker and the proxy authenticate with v1 app tokens of their own; the cluster
 * upgrade 1.0 -> 2.1 passes through 2.0, which deprecates v1. Each component node must end with a
 * v2 token in its file, used after the switch, its v1 token revoked; the web node untouched; and no
 * token anywhere but in its own file (homes, logs, journals, every table: only hashes).
 */
class ComponentTokensIT {
    private static final List<String> ROLES = List.of("web", "worker", "proxy");

    private LockboxCluster cluster;
    private ClusterAgents agents;
    private Path work;

    @BeforeEach
    void startClusterAndAgents() {
        cluster = LockboxCluster.startWithRoles(ROLES.toArray(String[]::new));
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
    void workerAndProxyGetNewTokensThroughTheirAgentsAndTheOldOnesAreRevokedOnlyOnceUsed() throws Exception {
        Map<Integer, String> before = new LinkedHashMap<>();
        for (int n : List.of(2, 3)) {
            String token = componentToken(n);
            assertThat(token).as("node %d starts with a v1 token", n).startsWith("lbx1_");
            assertThat(row(Sha256.hex(token))).as("the %s component checked in with its token at 1.0", ROLES.get(n - 1))
                    .containsEntry("format", "v1").containsEntry("name", ROLES.get(n - 1) + "-node" + n).containsKey("last_used_at");
            before.put(n, token);
        }
        assertThat(cluster.node(1).home().resolve(LockboxCluster.COMPONENT_TOKEN_FILE)).doesNotExist();
        List<String> othersBefore = otherTokens();

        UpliftJvm.Result asked = UpliftJvm.start(work, Map.of(), "cluster", "upgrade", "--to", "2.1", "--yes", "--home",
                cluster.node(1).home().toString()).awaitExit(Duration.ofMinutes(5));
        assertThat(asked.exit()).as(asked + agents.logs()).isZero();
        assertThat(states()).as(agents.logs()).containsExactly(ClusterState.PREPARED, ClusterState.MIXED, ClusterState.READY_TO_FINALIZE,
                ClusterState.FINALIZING, ClusterState.STABLE);

        List<String> allTokens = new ArrayList<>(before.values());
        Map<String, ClusterNodeProgress> progress = new LinkedHashMap<>();
        cluster.node(1).uplift().clusterStatus().nodes().forEach(p -> progress.put(p.nodeId(), p));
        for (int n : List.of(2, 3)) {
            String role = ROLES.get(n - 1);
            Path file = cluster.node(n).home().resolve(LockboxCluster.COMPONENT_TOKEN_FILE);
            String token = componentToken(n);
            allTokens.add(token);
            assertThat(token).as("node %d (%s) holds a v2 token now%s", n, role, agents.logs()).startsWith("lbx2_");
            assertThat(Files.isSymbolicLink(file)).isFalse();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS))).isEqualTo("rw-------");
            Map<String, String> row = row(Sha256.hex(token));
            assertThat(row).as("the new token of node %d", n).containsEntry("format", "v2").containsEntry("name", role + "-node" + n)
                    .containsEntry("scope", "component").containsKey("last_used_at");
            assertThat(row(Sha256.hex(before.get(n)))).as("the v1 token of node %d is revoked", n).isEmpty();
            assertThat(formatsNamed(role + "-node" + n)).containsExactly("v2");
            assertThat(cluster.node(n).home().resolve(".uplift/component-token.json")).as("the switch's journal is gone").doesNotExist();
            assertThat(progress.get(cluster.node(n).nodeId()).detail()).as("cluster status of node %d", n).contains("App token switched")
                    .contains("v1 token was revoked");
        }
        assertThat(cluster.node(1).home().resolve(LockboxCluster.COMPONENT_TOKEN_FILE)).as("the web node holds no component token").doesNotExist();
        assertThat(otherTokens()).as("every other token (the web users') is untouched").isEqualTo(othersBefore);
        assertThat(progress.get(cluster.node(1).nodeId()).detail()).doesNotContain("App token");

        progress.values().forEach(p -> System.out.println(p.nodeId() + " " + p.action() + " " + p.outcome() + ": " + p.detail()));
        UpliftJvm.Result nodes = UpliftJvm.run(work, Duration.ofSeconds(60), "nodes", "--home", cluster.node(2).home().toString());
        assertThat(nodes.out()).as(nodes.toString()).contains("App token switched");
        String printed = asked.out() + asked.err() + nodes.out() + nodes.err() + agents.logs();
        for (String token : allTokens) {
            assertThat(printed).as("no token in any output or agent log").doesNotContain(token);
            assertThat(filesHolding(token)).as("the only file holding a token is its component's file").allSatisfy(f ->
                    assertThat(f.toString()).endsWith(LockboxCluster.COMPONENT_TOKEN_FILE));
            assertThat(rowsHolding(token)).as("no table holds a token, only its hash").isEmpty();
        }
    }

    private String componentToken(int node) throws IOException {
        return Files.readString(cluster.node(node).home().resolve(LockboxCluster.COMPONENT_TOKEN_FILE), StandardCharsets.UTF_8).strip();
    }

    /** The app_tokens row of a hash (without the hash), empty when there is none. */
    private Map<String, String> row(String hash) throws SQLException {
        Map<String, String> row = new LinkedHashMap<>();
        try (Connection conn = cluster.connect();
             PreparedStatement ps = conn.prepareStatement("SELECT name, format, scope, last_used_at FROM app_tokens WHERE token_hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    row.put("name", rs.getString(1));
                    row.put("format", rs.getString(2));
                    row.put("scope", rs.getString(3));
                    if (rs.getTimestamp(4) != null) {
                        row.put("last_used_at", rs.getTimestamp(4).toInstant().toString());
                    }
                }
            }
        }
        return row;
    }

    private List<String> formatsNamed(String name) throws SQLException {
        List<String> formats = new ArrayList<>();
        try (Connection conn = cluster.connect();
             PreparedStatement ps = conn.prepareStatement("SELECT format FROM app_tokens WHERE name = ? ORDER BY format")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    formats.add(rs.getString(1));
                }
            }
        }
        return formats;
    }

    /** The tokens that are not the components': name, format and hash. */
    private List<String> otherTokens() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection conn = cluster.connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT name || ' ' || format || ' ' || token_hash FROM app_tokens"
                     + " WHERE name NOT IN ('worker-node2', 'proxy-node3') ORDER BY 1")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        assertThat(rows).as("the demo made a token for its users").isNotEmpty();
        return rows;
    }

    /** Every file under the test's folders (homes, their database server, the agents' folder) whose bytes hold {@code token}. */
    private List<Path> filesHolding(String token) throws IOException {
        byte[] needle = token.getBytes(StandardCharsets.US_ASCII);
        List<Path> found = new ArrayList<>();
        for (Path root : List.of(cluster.node(1).home().getParent(), work)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    if (Files.size(f) < 256L * 1024 * 1024 && contains(Files.readAllBytes(f), needle)) {
                        found.add(f);
                    }
                }
            }
        }
        return found;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Every table of the product database (Uplift's cluster schema included) whose rows, as text, hold {@code token}. */
    private List<String> rowsHolding(String token) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection conn = cluster.connect(); Statement st = conn.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables"
                    + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("public.app_tokens");
            List<String> holding = new ArrayList<>();
            for (String table : tables) {
                try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM " + table + " t WHERE strpos(t::text, ?) > 0")) {
                    ps.setString(1, token);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) > 0) {
                            holding.add(table);
                        }
                    }
                }
            }
            return holding;
        }
    }

    private List<ClusterState> states() throws SQLException {
        try (Connection conn = cluster.connect()) {
            long id = ClusterLog.latest(conn).orElseThrow().upgradeId();
            return ClusterLog.history(conn, id).stream().map(ClusterStateChange::state).toList();
        }
    }
}
