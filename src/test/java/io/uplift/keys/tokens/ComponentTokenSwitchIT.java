package io.uplift.keys.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.TestCatalog;
import io.uplift.catalog.TokenFormatHistory;
import io.uplift.catalog.Version;
import io.uplift.db.Jdbc;
import io.uplift.keys.tokens.ComponentTokenSwitch.Outcome;
import io.uplift.keys.tokens.ComponentTokenSwitch.State;
import io.uplift.testsupport.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The switch of one node's component token against a real PostgreSQL table shaped like Lockbox's
 * app_tokens: the old token is revoked only once the new one shows a use, an agent killed between
 * the insert and the file write issues again and revokes the orphan, and what needs no token is left alone.
 */
class ComponentTokenSwitchIT {
    private static final String TOKENS = """
            tokens:
              table: app_tokens
              name-column: name
              description-column: description
              scope-column: scope
              hash-column: token_hash
              format-column: format
              created-column: created_at
              last-used-column: last_used_at
              formats:
                v1: {prefix: app1_, random-bytes: 16}
                v2: {prefix: app2_, random-bytes: 32, encoding: base64url}
              component-files: {worker: config/app-token}
            """;
    private static final String OLD = "app1_00112233445566778899aabbccddeeff";

    @TempDir
    Path tmp;
    private Path home;
    private TestPostgres.Database db;
    private ComponentTokenSwitch tokens;

    @BeforeEach
    void tableAndNode() throws Exception {
        db = TestPostgres.v16().newDatabase();
        try (Connection conn = connect(); Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE app_tokens (id bigserial PRIMARY KEY, name text NOT NULL, description text, scope text NOT NULL,"
                    + " token_hash text NOT NULL UNIQUE, format text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),"
                    + " last_used_at timestamptz, UNIQUE (name, format))");
            st.execute("INSERT INTO app_tokens (name, description, scope, token_hash, format, last_used_at) VALUES"
                    + " ('worker-node2', 'the worker', 'component', '" + TokenMaker.sha256Hex(OLD) + "', 'v1', now()),"
                    + " ('users', 'the web users', 'admin', '" + TokenMaker.sha256Hex("app1_ffeeddccbbaa99887766554433221100") + "', 'v1', NULL)");
        }
        home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve(".uplift"));
        Files.writeString(home.resolve("config/app-token"), OLD + "\n");
        Catalog catalog = TestCatalog.at(tmp.resolve("catalog")).product(TestCatalog.LOCKBOX_PRODUCT + TOKENS)
                .simpleRelease("1.0", "<1.0", false, List.of(), "token-formats: {introduces: v1}")
                .simpleRelease("2.0", ">=1.0", false, List.of(), "token-formats: {introduces: v2, deprecates: [v1]}").load();
        tokens = new ComponentTokenSwitch(home, home.resolve(".uplift"), catalog.product().tokens(), new TokenFormatHistory(catalog.releases()),
                new TokenMaker(new SecureRandom()), this::connect);
    }

    @Test
    void theOldTokenIsRevokedOnlyOnceTheNewOneWasUsed() throws Exception {
        Outcome issued = tokens.issue("worker", Version.parse("2.0"));
        assertThat(issued.state()).as(issued.message()).isEqualTo(State.ISSUED);
        String fresh = fileToken();
        assertThat(fresh).startsWith("app2_");
        assertThat(issued.message()).doesNotContain(fresh);
        assertThat(Files.readString(home.resolve(".uplift/component-token.json"))).as("the journal holds hashes only")
                .contains(TokenMaker.sha256Hex(fresh)).doesNotContain(fresh);
        assertThat(formatsOf("worker-node2")).containsExactly("v1", "v2");

        Outcome unused = tokens.confirm(Duration.ofMillis(700));
        assertThat(unused.state()).isEqualTo(State.NOT_SWITCHED);
        assertThat(unused.message()).contains("stays valid").contains("uplift tokens revoke worker-node2 --format v1 --home " + home);
        assertThat(formatsOf("worker-node2")).as("not used yet: the old token stays").containsExactly("v1", "v2");

        try (Connection conn = connect(); PreparedStatement ps = conn.prepareStatement("UPDATE app_tokens SET last_used_at = now()"
                + " WHERE token_hash = ?")) {
            ps.setString(1, TokenMaker.sha256Hex(fresh));
            ps.executeUpdate();
        }
        Outcome used = tokens.confirm(Duration.ofSeconds(5));
        assertThat(used.state()).as(used.message()).isEqualTo(State.SWITCHED);
        assertThat(used.message()).contains("v1 token was revoked");
        assertThat(formatsOf("worker-node2")).containsExactly("v2");
        assertThat(formatsOf("users")).as("another token of the same old format is not touched").containsExactly("v1");
        assertThat(home.resolve(".uplift/component-token.json")).doesNotExist();
        assertThat(tokens.confirm(Duration.ofMillis(100)).state()).as("nothing left to confirm").isEqualTo(State.NONE);
    }

    @Test
    void anAgentKilledBeforeTheFileWasWrittenIssuesAgainAndRevokesTheOrphan() throws Exception {
        assertThat(tokens.issue("worker", Version.parse("2.0")).state()).isEqualTo(State.ISSUED);
        String lost = fileToken();
        // As if the agent died after the insert's commit and before the rename: the file still holds the old token.
        Files.writeString(home.resolve("config/app-token"), OLD + "\n");

        Outcome again = tokens.issue("worker", Version.parse("2.0"));
        assertThat(again.state()).as(again.message()).isEqualTo(State.ISSUED);
        String fresh = fileToken();
        assertThat(fresh).startsWith("app2_").isNotEqualTo(lost);
        assertThat(hashesOf("worker-node2")).containsExactlyInAnyOrder(TokenMaker.sha256Hex(OLD), TokenMaker.sha256Hex(fresh));
    }

    @Test
    void anAgentKilledAfterTheFileWasWrittenDoesNotIssueTwice() throws Exception {
        tokens.issue("worker", Version.parse("2.0"));
        String fresh = fileToken();
        Outcome again = tokens.issue("worker", Version.parse("2.0"));
        assertThat(again.state()).isEqualTo(State.ISSUED);
        assertThat(again.message()).contains("issued already");
        assertThat(fileToken()).isEqualTo(fresh);
        assertThat(formatsOf("worker-node2")).containsExactly("v1", "v2");
    }

    @Test
    void aWebNodeAndACurrentTokenAreLeftAlone() throws Exception {
        assertThat(tokens.issue("web", Version.parse("2.0")).state()).isEqualTo(State.NONE);
        assertThat(tokens.issue("worker", Version.parse("1.0")).state()).as("1.0 deprecates nothing").isEqualTo(State.NONE);
        assertThat(fileToken()).isEqualTo(OLD);
        assertThat(formatsOf("worker-node2")).containsExactly("v1");
    }

    @Test
    void aComponentWithoutAKnownTokenIsReportedWithTheFixAndNothingIsIssued() throws Exception {
        Files.writeString(home.resolve("config/app-token"), "app1_revokedlongago\n");
        Outcome outcome = tokens.issue("worker", Version.parse("2.0"));
        assertThat(outcome.state()).isEqualTo(State.NOT_SWITCHED);
        assertThat(outcome.message()).contains("holds no token the database knows").contains(home.resolve("config/app-token").toString());
        assertThat(formatsOf("worker-node2")).containsExactly("v1");
        assertThat(home.resolve(".uplift/component-token.json")).doesNotExist();
    }

    @Test
    void aTokenFileThatIsALinkIsRefusedAndNothingIsIssued() throws Exception {
        Path elsewhere = Files.writeString(tmp.resolve("elsewhere"), OLD + "\n");
        Files.delete(home.resolve("config/app-token"));
        Files.createSymbolicLink(home.resolve("config/app-token"), elsewhere);
        assertThatThrownBy(() -> tokens.issue("worker", Version.parse("2.0"))).isInstanceOf(UpliftException.class)
                .hasMessageContaining("is a symbolic link");
        assertThat(Files.readString(elsewhere)).isEqualTo(OLD + "\n");
        assertThat(formatsOf("worker-node2")).containsExactly("v1");
        assertThat(home.resolve(".uplift/component-token.json")).doesNotExist();
    }

    private String fileToken() throws Exception {
        return Files.readString(home.resolve("config/app-token"), StandardCharsets.UTF_8).strip();
    }

    private List<String> formatsOf(String name) throws SQLException {
        return column("format", name);
    }

    private List<String> hashesOf(String name) throws SQLException {
        return column("token_hash", name);
    }

    private List<String> column(String column, String name) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection conn = connect(); PreparedStatement ps = conn.prepareStatement("SELECT " + column + " FROM app_tokens WHERE name = ?"
                + " ORDER BY 1")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }

    private Connection connect() {
        return Jdbc.connect(db.jdbcUrl(), db.user(), db.password());
    }
}
