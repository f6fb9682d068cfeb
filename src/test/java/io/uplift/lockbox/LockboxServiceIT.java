package io.uplift.lockbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.Uplift;
import io.uplift.api.DemoSettings;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.ProgressListener;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.keys.InstallationKeyset;
import io.uplift.keys.KeysetStore;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Lockbox 1.0 as a real service: a demo installation from the built catalog (target/lockbox-catalog,
 * whose releases carry the Lockbox jars), started and stopped with the catalog's own command
 * app/bin/lockbox as real processes, and spoken to over HTTP on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LockboxServiceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Path home;
    private int port;
    private String token;
    private long servicePid;

    @BeforeAll
    void installAndStart() throws Exception {
        home = TestPostgres.newTraversableTempDir().resolve("lockbox");
        Uplift.configure().home(home).load().prepareDemo(new DemoSettings(200, 3, DemoSettings.demoCatalog()), ProgressListener.NONE);
        Properties service = new Properties();
        service.load(Files.newBufferedReader(home.resolve("config/lockbox.properties")));
        port = Integer.parseInt(service.getProperty("http.port"));

        Run start = run("app/bin/lockbox", "start");
        assertThat(start.exitCode()).as("start: %s", start.output()).isZero();
        servicePid = Long.parseLong(Files.readString(home.resolve("data/lockbox.pid")).strip());

        Run created = run("java", "-cp", "app/lib/*", "io.lockbox.Lockbox", "token", "create", "load-test", "--home", home.toString());
        assertThat(created.exitCode()).as("token create: %s", created.output()).isZero();
        token = created.output().strip();
        assertThat(token).matches("lbx1_[0-9a-f]{32}");
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (home != null) {
            ProcessHandle.of(servicePid).ifPresent(ProcessHandle::destroyForcibly);
            Uplift.configure().home(home).load().stopDatabase();
        }
    }

    @Test
    @Order(1)
    void healthNamesTheProductTheReleaseAndTheNodeWithoutAToken() throws Exception {
        HttpResponse<String> r = get("/health", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("product").asText()).isEqualTo("lockbox");
        assertThat(body.get("version").asText()).isEqualTo("1.0");
        assertThat(body.get("node").asText()).isNotBlank();
        assertThat(body.get("state").asText()).isEqualTo("serving");
    }

    @Test
    @Order(2)
    void aSecretWrittenIsReadBackDecryptedAndStoredEncryptedWithThePrimaryKey() throws Exception {
        HttpResponse<String> created = post("/api/secrets", "{\"name\":\"it/api-key\",\"value\":\"s3cr3t-value\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = JSON.readTree(created.body()).get("id").asLong();

        JsonNode read = JSON.readTree(get("/api/secrets/" + id, token).body());
        assertThat(read.get("name").asText()).isEqualTo("it/api-key");
        assertThat(read.get("value").asText()).isEqualTo("s3cr3t-value");

        InstallationKeyset keyset = keyset();
        try (Connection conn = connect(); PreparedStatement ps = conn.prepareStatement("SELECT value, key_id FROM secrets WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(new String(rs.getBytes(1), StandardCharsets.UTF_8)).doesNotContain("s3cr3t-value");
                assertThat(rs.getLong(2)).isEqualTo(keyset.primaryKeyId());
                // What Uplift's key rotation does to it: decrypt with the keyset, the row id as associated data.
                assertThat(new String(keyset.aead().decrypt(rs.getBytes(1), Long.toString(id).getBytes(StandardCharsets.US_ASCII)),
                        StandardCharsets.UTF_8)).isEqualTo("s3cr3t-value");
            }
        }
        assertThat(get("/api/secrets?limit=5", token).body()).contains("\"name\":\"it/api-key\"");
    }

    @Test
    @Order(3)
    void aSecretTheDemoGeneratorWroteDecrypts() throws Exception {
        String expected;
        try (Connection conn = connect(); Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT value FROM secrets WHERE id = 1")) {
            rs.next();
            expected = new String(keyset().aead().decrypt(rs.getBytes(1), "1".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.UTF_8);
        }
        HttpResponse<String> r = get("/api/secrets/1", token);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("value").asText()).isEqualTo(expected);
        assertThat(get("/api/secrets/999999", token).statusCode()).isEqualTo(404);
    }

    @Test
    @Order(4)
    void callsWithoutAKnownTokenGet401AndBadInput400NamingTheField() throws Exception {
        HttpResponse<String> none = get("/api/secrets", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).get("error").asText()).isNotBlank();
        assertThat(get("/api/secrets", "lbx1_00000000000000000000000000000000").statusCode()).isEqualTo(401);
        HttpResponse<String> bad = post("/api/events", "{\"kind\":\"secret.read\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("detail");
        assertThat(post("/api/secrets", "not json").statusCode()).isEqualTo(400);
    }

    @Test
    @Order(5)
    void eventsAreRecordedAndListedAndThreatsListed() throws Exception {
        HttpResponse<String> created = post("/api/events", "{\"kind\":\"secret.read\",\"detail\":\"from the IT\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long id = JSON.readTree(created.body()).get("id").asLong();
        assertThat(id).isEqualTo(201); // the demo made events 1 to 200; ids are the application's, in order
        JsonNode latest = JSON.readTree(get("/api/events?limit=1", token).body()).get("events").get(0);
        assertThat(latest.get("id").asLong()).isEqualTo(id);
        assertThat(latest.get("detail").asText()).isEqualTo("from the IT");
        assertThat(latest.has("severity")).as("1.0 has no severity").isFalse();
        assertThat(JSON.readTree(get("/api/threats", token).body()).get("threats")).hasSize(50);
    }

    @Test
    @Order(6)
    void inMaintenanceReadsGoOnAndWritesGet503EvenThroughAnAlreadyOpenConnection() throws Exception {
        assertThat(get("/api/secrets?limit=1", token).statusCode()).isEqualTo(200); // the pool holds an open connection now
        Set<Integer> before = lockboxSessions();
        assertThat(before).isNotEmpty();
        try (Connection openBefore = connect()) {
            enterMaintenanceKeepingSessions();
            try (Statement st = openBefore.createStatement()) {
                st.execute("SET default_transaction_read_only = off"); // as a careless pool might
                assertThatThrownBy(() -> st.executeUpdate("UPDATE threats SET level = level WHERE id = 1"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
            }

            HttpResponse<String> write = post("/api/secrets", "{\"name\":\"it/in-maintenance\",\"value\":\"v\"}");
            assertThat(write.statusCode()).isEqualTo(503);
            assertThat(write.headers().firstValue("Retry-After")).contains("5");
            assertThat(JSON.readTree(write.body()).get("error").asText())
                    .isEqualTo("An upgrade is under way: Lockbox is read-only until it ends. Retry later.");
            Set<Integer> ended = new HashSet<>(before);
            ended.removeAll(lockboxSessions());
            assertThat(ended).as("the write went through a session opened before maintenance, refused, and dropped by the pool").isNotEmpty();
            before.removeAll(ended);
            assertThat(post("/api/events", "{\"kind\":\"secret.read\",\"detail\":\"d\"}").statusCode()).isEqualTo(503);
            assertThat(get("/api/secrets/1", token).statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(get("/health", null).body()).get("state").asText()).isEqualTo("read-only");

            // Uplift also ends the product's sessions: the next read must retry on a fresh (read-only) connection.
            terminate(before);
            assertThat(get("/api/secrets/1", token).statusCode()).isEqualTo(200);
            assertThat(get("/api/events?limit=3", token).statusCode()).isEqualTo(200);
            assertThat(post("/api/secrets", "{\"name\":\"it/in-maintenance\",\"value\":\"v\"}").statusCode()).isEqualTo(503);
        } finally {
            leaveMaintenance();
        }
        HttpResponse<String> after = post("/api/secrets", "{\"name\":\"it/after-maintenance\",\"value\":\"v\"}");
        assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
        assertThat(JSON.readTree(get("/health", null).body()).get("state").asText()).isEqualTo("serving");
        try (Connection conn = connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM secrets WHERE name = 'it/in-maintenance'")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    @Order(7)
    void stopEndsTheProcessCleanlyAndStatusThenExits3() throws Exception {
        assertThat(run("app/bin/lockbox", "status").exitCode()).isZero();
        Run stop = run("app/bin/lockbox", "stop");
        assertThat(stop.exitCode()).as(stop.output()).isZero();
        assertThat(ProcessHandle.of(servicePid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(run("app/bin/lockbox", "status").exitCode()).isEqualTo(3);
        assertThat(Files.readString(home.resolve("data/lockbox.log"))).contains("Lockbox stopped").doesNotContain(token);
        assertThat(Files.exists(home.resolve("data/lockbox.ready"))).isFalse();
    }

    @Test
    @Order(8)
    void aServerThatCannotStartMakesStartFailWithItsExitCodeAndMessage() throws Exception {
        Path config = home.resolve("config/lockbox.properties");
        Path aside = home.resolve("config/lockbox.properties.aside");
        Files.move(config, aside);
        try {
            Run start = run("app/bin/lockbox", "start");
            assertThat(start.exitCode()).as(start.output()).isEqualTo(10);
            assertThat(start.output()).contains(config.toString()).contains("http.port");
            assertThat(run("app/bin/lockbox", "status").exitCode()).isEqualTo(3);
        } finally {
            Files.move(aside, config);
        }
    }

    // --- helpers ---

    private record Run(int exitCode, String output) {}

    private Run run(String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("lockbox-it", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + COMMAND_TIMEOUT);
            }
            return new Run(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private InstallationKeyset keyset() {
        return KeysetStore.of(home.resolve("config/keyset.json")).open(KeyEnvironment.system()).keyset();
    }

    private Connection connect() {
        DatabaseSettings db = DatabaseSettings.read(home);
        return Jdbc.connect(db.url(), db.user(), db.password());
    }

    private Set<Integer> lockboxSessions() throws SQLException {
        Set<Integer> pids = new HashSet<>();
        try (Connection conn = connect(); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE application_name = 'lockbox' AND datname = current_database()")) {
            while (rs.next()) {
                pids.add(rs.getInt(1));
            }
        }
        return pids;
    }

    /**
     * The database side of Uplift's maintenance mode (MaintenanceGuard), but without ending the
     * product's sessions: a read-only default for new sessions and a statement trigger on every
     * table raising SQLSTATE 25006, which refuses writes of sessions that were open before.
     */
    private void enterMaintenanceKeepingSessions() throws SQLException {
        try (Connection conn = connect(); Statement st = conn.createStatement()) {
            st.execute("ALTER DATABASE lockbox SET default_transaction_read_only = on");
            st.execute("CREATE SCHEMA uplift_maintenance");
            st.execute("CREATE FUNCTION uplift_maintenance.refuse_writes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " RAISE EXCEPTION USING ERRCODE = 'read_only_sql_transaction', MESSAGE = 'Lockbox is being upgraded'; END $$");
            for (String table : List.of("users", "secrets", "app_tokens", "events", "threats", "event_threats")) {
                st.execute("CREATE TRIGGER uplift_maintenance_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON " + table
                        + " FOR EACH STATEMENT EXECUTE PROCEDURE uplift_maintenance.refuse_writes()");
            }
        }
    }

    private void terminate(Set<Integer> pids) throws SQLException {
        try (Connection conn = connect(); PreparedStatement ps = conn.prepareStatement("SELECT pg_terminate_backend(?)")) {
            for (int pid : pids) {
                ps.setInt(1, pid);
                ps.execute();
            }
        }
    }

    private void leaveMaintenance() throws SQLException {
        try (Connection conn = connect(); Statement st = conn.createStatement()) {
            st.execute("SET default_transaction_read_only = off");
            st.execute("ALTER DATABASE lockbox RESET default_transaction_read_only");
            st.execute("DROP SCHEMA IF EXISTS uplift_maintenance CASCADE");
        }
    }
}
