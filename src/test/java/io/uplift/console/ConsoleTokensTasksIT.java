package io.uplift.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.Uplift;
import io.uplift.api.AppToken;
import io.uplift.api.UpgradeListener;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeTarget;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.keys.tokens.TokenMaker;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The App tokens and Tasks pages over real HTTP, on a demo upgraded to Lockbox 2.0 (which deprecates the
 * v1 tokens and registers "Update taxonomies"): what the pages show, and what pressing their buttons did,
 * read back through the facade, the command line and the product's tables.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleTokensTasksIT {
    private static final Pattern NEW_TOKEN = Pattern.compile("<code class=\"token-once\" id=\"new-token\">([^<]+)</code>");
    /** Anything shaped like a Lockbox token, v1 or v2. */
    private static final Pattern ANY_TOKEN = Pattern.compile("lbx[0-9]?_[A-Za-z0-9_-]{20,}");
    private static final String NAME = "ci-deploy-01";

    private static ConsoleFixture console;
    private static ConsoleClient admin;
    private static String issued;

    @BeforeAll
    static void upgradeTheDemoToTwoZero() throws Exception {
        console = ConsoleFixture.demo(500);
        UpgradeResult r = facade().upgrade(new UpgradeTarget("2.0"), UpgradeListener.NONE);
        assertThat(r.installed()).isEqualTo("2.0");
        admin = console.signedIn();
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    @Order(1)
    void theTokensPageMarksEveryV1TokenDeprecatedAndNamesTheCurrentFormatWithoutShowingAToken() {
        HttpResponse<String> page = admin.get("/tokens");
        assertThat(page.statusCode()).isEqualTo(200);
        String html = page.body();
        long v1 = facade().tokens(false).tokens().stream().filter(t -> t.format().equals("v1")).count();
        assertThat(v1).isPositive();
        assertThat(count(html, "<td><span class=\"deprecated\" title=\"deprecated format\">&#9888;</span> v1</td>")).isEqualTo(v1);
        assertThat(html).containsPattern("id=\"current-format\">New and re-issued tokens get format <strong>v2</strong>;.*deprecated format v1");
        assertThat(html).contains("id=\"token-" + NAME + "-v1\"").contains(">Re-issue</button>").contains(">Revoke</button>");
        assertThat(html).doesNotContainPattern(ANY_TOKEN);
    }

    @Test
    @Order(2)
    void reissueShowsTheNewTokenOnceAndTheOldOneKeepsWorkingUntilRevoked() throws Exception {
        HttpResponse<String> answer = admin.post("/tokens/reissue", Map.of("name", NAME));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        Matcher m = NEW_TOKEN.matcher(answer.body());
        assertThat(m.find()).as(answer.body()).isTrue();
        issued = m.group(1);
        assertThat(issued).matches("lbx2_[A-Za-z0-9_-]{43}");
        assertThat(answer.body()).contains("shown this once and never again")
                .contains("id=\"old-token-fate\">The v1 token '" + NAME + "' keeps working until you revoke it");
        assertThat(hashInTable(NAME, "v2")).as("only the hash is stored").isEqualTo(TokenMaker.sha256Hex(issued));
        assertThat(hashInTable(NAME, "v1")).as("the old token is still there").isNotNull();

        String list = admin.get("/tokens").body();
        assertThat(list).doesNotContain(issued).doesNotContainPattern(ANY_TOKEN);
        assertThat(list).contains("id=\"token-" + NAME + "-v2\"").contains("id=\"token-" + NAME + "-v1\"")
                .contains("Already re-issued: revoke the old token once its application uses the new one.");
        String cli = ConsoleFixture.cli("tokens", "list", "--home", console.home().toString());
        assertThat(cli).startsWith("exit 0").doesNotContain(issued);
        assertThat(cli.lines().filter(l -> l.matches("  " + NAME + " +v1 +yes .*"))).hasSize(1);
        assertThat(cli.lines().filter(l -> l.matches("  " + NAME + " +v2 +no .*"))).hasSize(1);

        HttpResponse<String> again = admin.post("/tokens/reissue", Map.of("name", NAME));
        assertThat(again.body()).contains("id=\"reissue-refused\"").contains("already has a token in the current format v2")
                .doesNotContain("id=\"new-token\"");
        assertThat(hashInTable(NAME, "v2")).as("nothing was changed").isEqualTo(TokenMaker.sha256Hex(issued));
    }

    @Test
    @Order(3)
    void revokeDeletesTheOldTokenButNotTheLastOneOfItsNameUnlessAsked() throws Exception {
        String page = admin.post("/tokens/revoke", Map.of("name", NAME, "format", "v1")).body();
        assertThat(page).contains("Revoked 1 token named &#39;" + NAME + "&#39; (format v1)").contains("Left: the v2 token of that name.");
        assertThat(page).doesNotContain("id=\"token-" + NAME + "-v1\"").contains("id=\"token-" + NAME + "-v2\"");
        assertThat(formatsOf(NAME)).containsExactly("v2");
        assertThat(hashInTable(NAME, "v1")).isNull();

        String refused = admin.post("/tokens/revoke", Map.of("name", NAME, "format", "v2")).body();
        assertThat(refused).contains("class=\"notice fail\"").contains("Revoking would leave no token named &#39;" + NAME + "&#39;");
        assertThat(formatsOf(NAME)).as("nothing was changed").containsExactly("v2");

        String last = admin.post("/tokens/revoke", Map.of("name", NAME, "format", "v2", "even-if-last", "on")).body();
        assertThat(last).contains("Revoked 1 token named &#39;" + NAME + "&#39; (format v2)").contains("No token of that name is left.");
        assertThat(formatsOf(NAME)).isEmpty();
        assertThat(last).doesNotContain("id=\"token-" + NAME + "-");
    }

    @Test
    @Order(4)
    void theTaxonomyTaskRunsFromThePageAndShowsItsOutcome() throws Exception {
        assertThat(facade().pendingTasks()).extracting(t -> t.id()).contains("update-taxonomies");
        assertThat(unclassifiedThreats()).as("threats without a taxonomy before the task").isPositive();
        String page = admin.get("/tasks").body();
        assertThat(page).contains("id=\"task-update-taxonomies\"").contains("Update taxonomies").contains(">Run</button>")
                .contains("id=\"no-obsolete\"");

        String bogus = admin.post("/tasks/run", Map.of("id", "no-such-task")).body();
        assertThat(bogus).contains("class=\"notice fail\"").contains("The field &#39;id&#39; names no pending automatic task");
        assertThat(facade().pendingTasks()).extracting(t -> t.id()).contains("update-taxonomies");
        String bogusDone = admin.post("/tasks/done", Map.of("id", "no-such-task")).body();
        assertThat(bogusDone).contains("class=\"notice fail\"").contains("The field &#39;id&#39; names no pending task (got &#39;no-such-task&#39;)");
        String nothingObsolete = admin.post("/tasks/cleanup", Map.of()).body();
        assertThat(nothingObsolete).contains("class=\"notice ok\"").contains("No obsolete dependency to clean up.");
        assertThat(facade().pendingTasks()).extracting(t -> t.id()).containsExactly("update-taxonomies");

        String after = admin.post("/tasks/run", Map.of("id", "update-taxonomies")).body();
        assertThat(after).contains("class=\"notice ok\"").contains("Update taxonomies: ");
        assertThat(after).contains("id=\"outcome-update-taxonomies\"").doesNotContain("id=\"task-update-taxonomies\"")
                .contains("id=\"no-tasks\"");
        assertThat(facade().pendingTasks()).isEmpty();
        assertThat(unclassifiedThreats()).isZero();
    }

    @Test
    @Order(5)
    void thesePagesAndTheirChangesNeedASessionAndItsCsrfToken() {
        ConsoleClient anonymous = new ConsoleClient(console.url());
        for (String page : new String[] {"/backups", "/tokens", "/tasks", "/keys"}) {
            HttpResponse<String> r = anonymous.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).as(page).contains("/login");
        }
        String other = "backup-02";
        assertThat(anonymous.postRaw("/tokens/reissue", Map.of("name", other, "csrf", "0")).statusCode()).isEqualTo(401);
        HttpResponse<String> noToken = admin.postRaw("/tokens/reissue", Map.of("name", other));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).doesNotContainPattern(ANY_TOKEN);
        assertThat(admin.postRaw("/tokens/revoke", Map.of("name", other, "format", "v1", "even-if-last", "on")).statusCode()).isEqualTo(403);
        assertThat(formatsOf(other)).as("nothing was changed").containsExactly("v1");
    }

    private static Uplift facade() {
        return Uplift.configure().home(console.home()).load();
    }

    private static List<String> formatsOf(String name) {
        return facade().tokens(false).tokens().stream().filter(t -> t.name().equals(name)).map(AppToken::format).sorted().toList();
    }

    private static long count(String text, String part) {
        long n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static String hashInTable(String name, String format) throws Exception {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement("SELECT token_hash FROM app_tokens WHERE name = ? AND format = ?")) {
            st.setString(1, name);
            st.setString(2, format);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static long unclassifiedThreats() throws Exception {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement("SELECT count(*) FROM threats WHERE taxonomy_id IS NULL");
                ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connect() {
        DatabaseSettings s = DatabaseSettings.read(console.home());
        return Jdbc.connect(s.url(), s.user(), s.password());
    }
}
