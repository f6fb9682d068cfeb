package io.uplift.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.db.Jdbc;
import io.uplift.db.OsUser;
import io.uplift.db.PgBinaries;
import io.uplift.db.PgServer;
import io.uplift.install.DatabaseSettings;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The database move form over real HTTP: the demo's PostgreSQL 10 database (a few thousand events)
 * moved into a new PostgreSQL 16 server from the form, as the console's job, validated, with the same
 * rows on both sides, an export written, and the source's spare indexes dropped only once the list was
 * shown and confirmed; and bad input refused naming the field, with nothing started and no password
 * ever written back into the page.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleDbMoveIT {
    private static final Pattern STARTED = Pattern.compile("Started PostgreSQL 16 in (\\S+) on 127\\.0\\.0\\.1:(\\d+);");
    private static final Duration MOVE_DEADLINE = Duration.ofMinutes(4);

    private static ConsoleFixture console;
    private static ConsoleClient admin;
    private static DatabaseSettings db;
    private static String sourceUrl;
    private static Path passwordFile;
    private static Path targetDir;
    private static PgServer target;
    private static Path exportDir;

    @BeforeAll
    static void start() throws Exception {
        console = ConsoleFixture.demo(3000);
        admin = console.signedIn();
        db = DatabaseSettings.read(console.home());
        sourceUrl = db.url().replace("jdbc:postgresql://", "postgresql://" + db.user() + "@");
        passwordFile = ConsoleFixture.passwordFile(console.home().getParent(), db.password());
        targetDir = TestPostgres.newTraversableTempDir().resolve("pg16");
    }

    @AfterAll
    static void stop() {
        if (target != null) {
            target.stop();
        }
        if (console != null) {
            console.close();
        }
    }

    /** The form as an operator fills it in for a move into a new PostgreSQL 16, recommended threads, validation on. */
    private static Map<String, String> moveForm() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("source", sourceUrl);
        form.put("source-password-file", passwordFile.toString());
        form.put("target-kind", "new");
        form.put("target-version", "16");
        form.put("target-dir", targetDir.toString());
        form.put("threads", "recommended");
        form.put("compression", "");
        form.put("validate", "on");
        return form;
    }

    @Test
    @Order(1)
    void theFormOffersEveryOptionWithTheThreadsOfThisMachineAndTheInstallationsDatabase() {
        String page = admin.get("/db-move").body();
        int cores = Runtime.getRuntime().availableProcessors();
        for (String field : List.of("source", "source-password-file", "target-kind-new", "target-kind-url", "target-version", "target-dir",
                "target", "threads-reliable", "threads-recommended", "threads-performant", "threads-n", "compression", "only-threat-events",
                "filters", "drop-source-indexes", "delete-source", "delete-source-confirmed", "validate", "skip-validation-understood",
                "validate-only", "export-dir", "resume", "pg-tools-dir")) {
            assertThat(page).as(field).contains("id=\"" + field + "\"");
        }
        assertThat(page).contains("recommended: " + Math.max(1, cores / 2) + " threads").contains("performant: " + cores + " threads");
        assertThat(page).contains(db.url()).contains("id=\"validate\" checked");
    }

    @Test
    @Order(2)
    void aConnectionStringHoldingAPasswordIsRefusedNamingTheFieldAndNeverShownAgain() {
        Map<String, String> form = moveForm();
        form.put("source", db.url().replace("jdbc:postgresql://", "postgresql://" + db.user() + ":" + db.password() + "@"));
        form.remove("source-password-file");

        String page = admin.post("/db-move/start", form).body();

        assertThat(page).contains("Source database: the password in --source is visible to every user")
                .contains("The console refuses a password in the form");
        assertThat(page).doesNotContain(db.password());
        assertThat(admin.get("/db-move").body()).doesNotContain(db.password());
        nothingStarted();
    }

    @Test
    @Order(3)
    void aBadFilterIsRefusedNamingTheFieldAndTheFormComesBackFilledIn() {
        Map<String, String> form = moveForm();
        form.put("filters", "events occurred_at > now()");

        String page = admin.post("/db-move/start", form).body();

        assertThat(page).contains("Filters: --filter events occurred_at &gt; now() must be TABLE=SQL-PREDICATE").contains("Nothing was started");
        assertThat(page).contains(">events occurred_at &gt; now()</textarea>").contains("value=\"" + targetDir + "\"");
        nothingStarted();
    }

    @Test
    @Order(4)
    void deletingTheSourceWithoutTheSecondConfirmationOrSkippingValidationUnacknowledgedIsRefused() {
        Map<String, String> delete = moveForm();
        delete.put("delete-source", "on");
        assertThat(admin.post("/db-move/start", delete).body()).contains("Delete the source database after: tick the second box");

        Map<String, String> unchecked = moveForm();
        unchecked.remove("validate");
        assertThat(admin.post("/db-move/start", unchecked).body()).contains("Validate: it is off");
        nothingStarted();
    }

    @Test
    @Order(5)
    void theFormMovesTheDemoDatabaseIntoANewPostgres16ValidatesItAndDropsOnlyTheIndexesConfirmed() throws Exception {
        exportDir = TestPostgres.newTraversableTempDir().resolve("export");
        Map<String, String> form = moveForm();
        form.put("drop-source-indexes", "on");
        form.put("export-dir", exportDir.toString());
        form.put("compression", "low");

        String review = admin.post("/db-move/start", form).body();

        assertThat(review).contains("class=\"notice warn\"").containsPattern("Review the \\d+ indexes").contains("id=\"indexes-to-drop\"")
                .contains("public.events_occurred_at_idx").contains("public.event_threats_threat_id_idx");
        nothingStarted();
        assertThat(indexes(db.url())).contains("events_occurred_at_idx", "event_threats_threat_id_idx");
        Matcher digest = Pattern.compile("name=\"indexes-digest\" id=\"indexes-digest\" value=\"([0-9a-f]{64})\"").matcher(review);
        assertThat(digest.find()).as(review).isTrue();
        form.put("indexes-digest", digest.group(1));

        String started = admin.post("/db-move/start", form).body();
        assertThat(started).contains("The database move started").contains("id=\"job\"");

        String page = awaitOutcome();
        Matcher m = STARTED.matcher(page);
        assertThat(m.find()).as(page).isTrue();
        target = new PgServer(PgBinaries.forMajor(16), targetDir, Integer.parseInt(m.group(2)), OsUser.serverUser());
        assertThat(outcome(page)).as(page).startsWith("Moved ").contains("Validation passed");
        assertThat(page).doesNotContain("FAILED").doesNotContain(db.password()).contains("Export written: " + exportDir);

        String targetUrl = "jdbc:postgresql://127.0.0.1:" + target.port() + "/" + db.url().replaceAll(".*/([^/?]+).*", "$1");
        Map<String, Long> source = rowCounts(db.url());
        assertThat(source).containsKey("public.events");
        assertThat(source.get("public.events")).isGreaterThanOrEqualTo(3000);
        assertThat(rowCounts(targetUrl)).isEqualTo(source);
        assertThat(indexes(db.url())).doesNotContain("events_occurred_at_idx", "event_threats_threat_id_idx");
        assertThat(indexes(targetUrl)).contains("events_occurred_at_idx", "event_threats_threat_id_idx");
        assertThat(exportDir.resolve("manifest.json")).isRegularFile();
        assertThat(Files.readString(exportDir.resolve("source-indexes.sql"))).contains("events_occurred_at_idx");
    }

    @Test
    @Order(6)
    void anExportThatIsNotThereIsRefusedNamingTheFolderAndNothingStarts() throws Exception {
        Path missing = exportDir.resolveSibling("no-such-export");
        TestPostgres.Database empty = TestPostgres.v16().newDatabase();

        String page = admin.post("/db-import", importForm(missing, empty)).body();

        assertThat(page).contains(missing.toString()).contains("class=\"notice fail\"");
        // a relative folder would be the console's working folder's: refused, naming the field
        String relative = admin.post("/db-import", importForm(Path.of("export"), empty)).body();
        assertThat(relative).contains("Export folder: &#39;export&#39; is not an absolute path").contains("class=\"notice fail\"");
        assertThat(admin.get("/upgrade").body()).as("no job ran").doesNotContain("the import of");
    }

    @Test
    @Order(7)
    void theImportPageLoadsTheMovesExportIntoAnEmptyDatabaseWithTheSameRows() throws Exception {
        assertThat(exportDir).as("the export of the move above").isNotNull();
        TestPostgres.Database empty = TestPostgres.v16().newDatabase();

        String started = admin.post("/db-import", importForm(exportDir, empty)).body();
        assertThat(started).contains("id=\"job\"");

        String page = awaitOutcome();
        assertThat(outcome(page)).as(page).startsWith("Imported ");
        assertThat(page).doesNotContain(empty.password());
        assertThat(rowCounts(empty.jdbcUrl(), empty.user(), empty.password())).isEqualTo(rowCounts(db.url()));
    }

    private static Map<String, String> importForm(Path export, TestPostgres.Database into) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("exportDir", export.toString());
        form.put("target", into.jdbcUrl().replace("jdbc:postgresql://", "postgresql://" + into.user() + "@"));
        form.put("targetPasswordFile", ConsoleFixture.passwordFile(TestPostgres.newTraversableTempDir(), into.password()).toString());
        form.put("threads", "recommended");
        return form;
    }

    private static void nothingStarted() {
        assertThat(Files.exists(targetDir)).as("no new server was made").isFalse();
        assertThat(admin.get("/upgrade").body()).as("no job ran").doesNotContain("id=\"job\"");
    }

    /** Polls the upgrade page until the job's outcome shows, or fails after the deadline with the page. */
    private static String awaitOutcome() throws InterruptedException {
        long giveUpAt = System.nanoTime() + MOVE_DEADLINE.toNanos();
        HttpResponse<String> r = admin.get("/upgrade");
        while (!r.body().contains("id=\"outcome\"")) {
            assertThat(System.nanoTime()).as("the move ends within " + MOVE_DEADLINE + ": " + r.body()).isLessThan(giveUpAt);
            Thread.sleep(250); // polling, bounded by the deadline
            r = admin.get("/upgrade");
        }
        return r.body();
    }

    private static String outcome(String page) {
        Matcher m = Pattern.compile("<span id=\"outcome\">([^<]*)</span>").matcher(page);
        assertThat(m.find()).as(page).isTrue();
        return m.group(1);
    }

    /** The names of the indexes of the public schema. */
    private static List<String> indexes(String jdbcUrl) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection conn = Jdbc.connect(jdbcUrl, db.user(), db.password()); Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    /** Every table of the product's schemas with its row count. */
    private static Map<String, Long> rowCounts(String jdbcUrl) throws SQLException {
        return rowCounts(jdbcUrl, db.user(), db.password());
    }

    private static Map<String, Long> rowCounts(String jdbcUrl, String user, String password) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection conn = Jdbc.connect(jdbcUrl, user, password); Statement st = conn.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables"
                    + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }
}
