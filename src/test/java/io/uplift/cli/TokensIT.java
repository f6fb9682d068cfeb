package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.testsupport.ShippedCatalog;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.keys.tokens.TokenMaker;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * App tokens after a real upgrade (issue 5, part 5): a Lockbox 1.0 demo on a real PostgreSQL 10,
 * upgraded to 2.0, which deprecates the 20 v1 tokens; then list, reissue and revoke through the
 * real command line, checked against the product's table.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TokensIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PRINTED_TOKEN = Pattern.compile("^  (lbx2_[A-Za-z0-9_-]{43})$", Pattern.MULTILINE);
    private static Path home;
    private static String upgradeOutput;
    private static final List<String> issued = new ArrayList<>();

    @BeforeAll
    static void upgradeADemoToTwoZero() {
        home = TestPostgres.newTraversableTempDir().resolve("lockbox");
        Run demo = Run.of("demo", "--prepare-only", "--home", home.toString(), "--events", "1000", "--seed", "7");
        assertThat(demo.exit()).as(demo.toString()).isZero();
        Run upgrade = Run.of("upgrade", "--to", "2.0", "--yes", "--home", home.toString());
        assertThat(upgrade.exit()).as(upgrade.toString()).isZero();
        upgradeOutput = upgrade.out();
    }

    @AfterAll
    static void stopTheServer() {
        if (home != null) {
            Run.of("db", "stop", "--home", home.toString());
        }
    }

    @Test
    @Order(1)
    void theUpgradeSummaryAndStatusCountTheTwentyDeprecatedTokens() throws Exception {
        assertThat(upgradeOutput).contains("20 app tokens are in a deprecated format (v1): 'uplift tokens list --deprecated --home " + home + "'");
        JsonNode tokens = status().get("tokens");
        assertThat(tokens.get("deprecated").asLong()).isEqualTo(20);
        assertThat(tokens.get("deprecatedFormats").toString()).isEqualTo("[\"v1\"]");
        assertThat(tokens.get("currentFormat").asText()).isEqualTo("v2");
        assertThat(tokens.get("error").asText()).isEmpty();
        Run human = Run.of("status", "--home", home.toString());
        assertThat(human.out()).contains("App tokens     20 deprecated (format v1): 'uplift tokens list --deprecated");
    }

    @Test
    @Order(2)
    void listDeprecatedShowsEveryV1TokenWithItsLastUse() throws Exception {
        Run run = Run.of("tokens", "list", "--deprecated", "--json", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode list = JSON.readTree(run.out());
        assertThat(list.get("installedVersion").asText()).isEqualTo("2.0");
        assertThat(list.get("currentFormat").asText()).isEqualTo("v2");
        assertThat(list.get("deprecatedOnly").asBoolean()).isTrue();
        Map<String, String> listed = new TreeMap<>();
        for (JsonNode t : list.get("tokens")) {
            assertThat(t.get("format").asText()).isEqualTo("v1");
            assertThat(t.get("deprecated").asBoolean()).isTrue();
            assertThat(t.get("description").asText()).startsWith("Token for ");
            assertThat(t.get("scope").asText()).isNotEmpty();
            listed.put(t.get("name").asText(), t.get("lastUsedAt").isNull() ? "never" : t.get("lastUsedAt").asText());
        }
        Map<String, String> inDatabase = new TreeMap<>();
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT name, last_used_at FROM app_tokens WHERE format = 'v1'")) {
            while (rs.next()) {
                inDatabase.put(rs.getString(1), rs.getTimestamp(2) == null ? "never" : rs.getTimestamp(2).toInstant().toString());
            }
        }
        assertThat(listed).hasSize(20).isEqualTo(inDatabase);
        assertThat(listed.values()).contains("never").anyMatch(v -> !v.equals("never"));

        Run human = Run.of("tokens", "list", "--deprecated", "--home", home.toString());
        assertThat(human.out()).contains("deprecated format v1; new tokens get format v2").contains("LAST USED")
                .contains("20 tokens, 20 deprecated.").contains("uplift tokens reissue NAME");
        assertThat(human.out().lines().filter(l -> l.matches("  \\S+ +v1 +yes .*"))).hasSize(20);
    }

    @Test
    @Order(3)
    void reissueWithoutATerminalAndWithoutYesExitsSixteenAndChangesNothing() throws Exception {
        String before = tableChecksum();
        Map<String, String> files = homeFiles();
        Run run = Run.of("tokens", "reissue", "ci-deploy-01", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(16);
        assertThat(run.err()).contains("--yes");
        assertThat(tableChecksum()).isEqualTo(before);
        assertThat(homeFiles()).isEqualTo(files);
    }

    @Test
    @Order(4)
    void anUnknownNameIsExitTwoListingTheNamesAndChangesNothing() throws Exception {
        String before = tableChecksum();
        Map<String, String> files = homeFiles();
        for (String verb : List.of("reissue", "revoke")) {
            Run run = Run.of("tokens", verb, "ci-deploy-1", "--yes", "--home", home.toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("There is no app token named 'ci-deploy-1'").contains("ci-deploy-01")
                    .contains("'uplift tokens list' shows them all").contains("Nothing was changed.");
        }
        assertThat(tableChecksum()).isEqualTo(before);
        assertThat(homeFiles()).isEqualTo(files);
    }

    @Test
    @Order(5)
    void reissuePrintsATokenOnceWhoseHashIsStoredWithTheSameNameDescriptionAndScope() throws Exception {
        Run run = Run.of("tokens", "reissue", "ci-deploy-01", "--yes", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        Matcher m = PRINTED_TOKEN.matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        String token = m.group(1);
        issued.add(token);
        assertThat(run.out()).contains("Store it now: it is shown this once and never again")
                .contains("uplift tokens revoke ci-deploy-01 --home " + home);
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT n.token_hash, n.description = o.description AND n.scope = o.scope,"
                        + " n.last_used_at IS NULL, n.created_at > now() - interval '5 minutes'"
                        + " FROM app_tokens n JOIN app_tokens o ON o.name = n.name AND o.format = 'v1'"
                        + " WHERE n.name = 'ci-deploy-01' AND n.format = 'v2'")) {
            assertThat(rs.next()).as("a v2 row beside the v1 row").isTrue();
            assertThat(rs.getString(1)).isEqualTo(TokenMaker.sha256Hex(token));
            assertThat(rs.getBoolean(2)).as("same description and scope").isTrue();
            assertThat(rs.getBoolean(3)).as("never used yet").isTrue();
            assertThat(rs.getBoolean(4)).as("created now").isTrue();
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    @Order(6)
    void reissueWithJsonPrintsTheTokenInTheJsonOnce() throws Exception {
        Run run = Run.of("tokens", "reissue", "backup-02", "--yes", "--json", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        JsonNode r = JSON.readTree(run.out());
        String token = r.get("token").asText();
        issued.add(token);
        assertThat(token).matches("lbx2_[A-Za-z0-9_-]{43}");
        assertThat(r.get("name").asText()).isEqualTo("backup-02");
        assertThat(r.get("format").asText()).isEqualTo("v2");
        assertThat(r.get("description").asText()).isEqualTo("Token for backup");
        assertThat(r.get("stillValid").toString()).isEqualTo("[\"v1\"]");
        assertThat(run.out().split(Pattern.quote(token), -1)).as("printed once").hasSize(2);
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT token_hash, scope FROM app_tokens WHERE name = 'backup-02' AND format = 'v2'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(TokenMaker.sha256Hex(token));
            assertThat(rs.getString(2)).isEqualTo(r.get("scope").asText());
        }
    }

    @Test
    @Order(7)
    void aReissuedTokenIsNeverShownAgainNorWrittenToAnyFileOfTheHome() throws Exception {
        assertThat(issued).hasSize(2);
        List<String> outputs = new ArrayList<>();
        for (String[] args : List.of(new String[] {"tokens", "list"}, new String[] {"tokens", "list", "--json"},
                new String[] {"tokens", "list", "--deprecated", "--json"}, new String[] {"status", "--json"}, new String[] {"status"})) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--home", home.toString()));
            Run run = Run.of(all.toArray(String[]::new));
            assertThat(run.exit()).as(run.toString()).isZero();
            outputs.add(run.out() + run.err());
        }
        Run again = Run.of("tokens", "reissue", "ci-deploy-01", "--yes", "--home", home.toString());
        assertThat(again.exit()).as("a second reissue is refused, it does not show the token").isEqualTo(2);
        assertThat(again.err()).contains("already has a token in the current format v2").contains("--format v2");
        outputs.add(again.out() + again.err());
        for (String token : issued) {
            assertThat(outputs).noneMatch(o -> o.contains(token));
            assertThat(filesContaining(home, token)).as("files of the home holding the token").isEmpty();
        }
        Run list = Run.of("tokens", "list", "--home", home.toString());
        assertThat(list.out()).contains("22 tokens, 20 deprecated.");
        assertThat(status().at("/tokens/deprecated").asLong()).as("a reissue does not revoke").isEqualTo(20);
    }

    @Test
    @Order(8)
    void revokingTheLastTokenOfANameIsRefusedWithoutEvenIfLast() throws Exception {
        String before = tableChecksum();
        Run run = Run.of("tokens", "revoke", "monitoring-03", "--yes", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("would leave no token named 'monitoring-03'").contains("uplift tokens reissue monitoring-03")
                .contains("--even-if-last");
        assertThat(tableChecksum()).isEqualTo(before);
    }

    @Test
    @Order(9)
    void revokeDeletesTheOldTokenAndStatusCountsDrop() throws Exception {
        Run human = Run.of("tokens", "revoke", "ci-deploy-01", "--yes", "--home", home.toString());
        assertThat(human.exit()).as(human.toString()).isZero();
        assertThat(human.out()).contains("Revoked 1 token named 'ci-deploy-01' (format v1).").contains("Left: the v2 token");
        Run json = Run.of("tokens", "revoke", "backup-02", "--yes", "--json", "--home", home.toString());
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode r = JSON.readTree(json.out());
        assertThat(r.get("name").asText()).isEqualTo("backup-02");
        assertThat(r.get("revoked").asInt()).isEqualTo(1);
        assertThat(r.get("revokedFormats").toString()).isEqualTo("[\"v1\"]");
        assertThat(r.get("remainingFormats").toString()).isEqualTo("[\"v2\"]");
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT string_agg(name || '/' || format, ',' ORDER BY name) FROM app_tokens"
                        + " WHERE name IN ('ci-deploy-01', 'backup-02')")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("backup-02/v2,ci-deploy-01/v2");
        }
        assertThat(status().at("/tokens/deprecated").asLong()).isEqualTo(18);
        Run list = Run.of("tokens", "list", "--deprecated", "--json", "--home", home.toString());
        assertThat(JSON.readTree(list.out()).get("tokens").findValuesAsText("name")).hasSize(18)
                .doesNotContain("ci-deploy-01", "backup-02");
    }

    @Test
    @Order(10)
    void evenIfLastRevokesAnUnusedTokenOutright() throws Exception {
        Run run = Run.of("tokens", "revoke", "monitoring-03", "--even-if-last", "--yes", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("No token of that name is left.");
        assertThat(status().at("/tokens/deprecated").asLong()).isEqualTo(17);
    }

    @Test
    @Order(11)
    void aCatalogTokenDeclarationWithoutItsHashColumnIsExitTenWithFileAndLine() throws Exception {
        Path catalog = catalogCopy(text -> text.replace("  hash-column: token_hash\n", ""));
        String before = tableChecksum();
        Map<String, String> files = homeFiles();
        Run run = Run.of("tokens", "reissue", "sync-04", "--yes", "--home", home.toString(), "--catalog", catalog.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(10);
        int line = lineOf(catalog.resolve("product.yaml"), "table: app_tokens");
        assertThat(run.err()).contains(catalog.resolve("product.yaml") + ":" + line + ": tokens.hash-column: is missing");
        assertThat(tableChecksum()).isEqualTo(before);
        assertThat(homeFiles()).isEqualTo(files);
    }

    @Test
    @Order(12)
    void aDeclaredColumnTheTableLacksIsExitTenNamingTheField() throws Exception {
        Path catalog = catalogCopy(text -> text.replace("scope-column: scope", "scope-column: scopes"));
        String before = tableChecksum();
        Run run = Run.of("tokens", "reissue", "sync-04", "--yes", "--home", home.toString(), "--catalog", catalog.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(10);
        int line = lineOf(catalog.resolve("product.yaml"), "table: app_tokens");
        assertThat(run.err()).contains("product.yaml:" + line + ": tokens.scope-column: the table app_tokens has no column 'scopes'")
                .contains("token_hash");
        assertThat(tableChecksum()).isEqualTo(before);
    }

    @Test
    @Order(13)
    void aChangeWhileAnotherCommandHoldsTheHomeLockIsExitFifteen() throws Exception {
        String before = tableChecksum();
        try (var lock = io.uplift.journal.HomeLock.tryAcquire(home.resolve(".uplift/lock"), "uplift upgrade --to 2.1").orElseThrow()) {
            Run run = Run.of("tokens", "reissue", "sync-04", "--yes", "--home", home.toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(15);
            assertThat(run.err()).contains("Another Uplift command is working on this installation");
        }
        assertThat(tableChecksum()).isEqualTo(before);
    }

    /**
     * The home's files but db/ (the running server writes there) and the lock file, which records the
     * last command that took it (as in upgrade/faults/Snapshots).
     */
    private static Map<String, String> homeFiles() throws IOException {
        Map<String, String> files = FolderSnapshot.of(home, "db");
        assertThat(files.remove(".uplift/lock")).isNotNull();
        return files;
    }

    private static JsonNode status() throws IOException {
        Run run = Run.of("status", "--json", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        return JSON.readTree(run.out());
    }

    private static Connection connect() {
        DatabaseSettings s = DatabaseSettings.read(home);
        return Jdbc.connect(s.url(), s.user(), s.password());
    }

    private static String tableChecksum() throws Exception {
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) || ':' || md5(string_agg(concat_ws('|', id, name, description, scope,"
                        + " token_hash, format, created_at, last_used_at), ',' ORDER BY id)) FROM app_tokens")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Every regular file under the home, the database server's files included, that holds the text. */
    private static List<Path> filesContaining(Path root, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                byte[] content;
                try {
                    content = Files.readAllBytes(p);
                } catch (IOException e) {
                    continue; // a file the server removed meanwhile
                }
                if (indexOf(content, needle) >= 0) {
                    found.add(p);
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    /** A copy of the shipped Lockbox catalog whose product.yaml is edited. */
    private static Path catalogCopy(java.util.function.UnaryOperator<String> editProduct) {
        return ShippedCatalog.copy(copy -> {
            Path product = copy.resolve("product.yaml");
            Files.writeString(product, editProduct.apply(Files.readString(product)));
        });
    }
}
