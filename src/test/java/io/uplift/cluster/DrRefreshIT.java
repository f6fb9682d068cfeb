package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.Uplift;
import io.uplift.api.DemoSettings;
import io.uplift.api.DrRefreshResult;
import io.uplift.api.ErrorCode;
import io.uplift.api.JoinedNode;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.ProgressListener;
import io.uplift.api.UpgradeListener;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeTarget;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.db.Sha256;
import io.uplift.install.DatabaseSettings;
import io.uplift.journal.DurableFiles;
import io.uplift.keys.KeysetStore;
import io.uplift.testsupport.TestPostgres;
import io.uplift.testsupport.UpliftJvm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * 'dr refresh' between two sites on this machine. The primary is a demo installation (Lockbox 1.0,
 * its PostgreSQL 10 server managed by Uplift), upgraded to 2.1 with rows written after the upgrade.
 * The DR site is made as a vendor's installer makes one: a home joined with {@link Uplift#demoJoinNode}
 * (the installed release from the catalog, the primary's keyset, its own port), then given a database
 * of its own on another server (PostgreSQL 16, its own role) in its node-local config/database.properties.
 * So the DR site starts at 1.0 with a different server major than the primary's, which the refresh must
 * handle. A first refresh at 1.0 fills the DR database, so that the DR site's Lockbox can start; the
 * refresh under test then finds it running, stops it, and starts it again at 2.1. A third home, made
 * the same way but with a keyset of its own, is the DR site that must be refused.
 *
 * <p>The refusals run first, each checked to leave both sites as they were; then the refresh.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrRefreshIT {
    private static final List<String> PRODUCT_TABLES = List.of("secrets", "events", "users", "app_tokens", "threats", "event_threats");

    private Path primary;
    private Path dr;
    private Path strangerDr;
    private Uplift primaryUplift;
    private String drUrl;
    private boolean drServicesStarted;
    private Map<String, String> drConfigAtInstall;

    @BeforeAll
    void makeBothSites() throws Exception {
        Path base = TestPostgres.newTraversableTempDir();
        primary = base.resolve("lockbox");
        primaryUplift = Uplift.configure().home(primary).load();
        primaryUplift.prepareDemo(new DemoSettings(200, 7, DemoSettings.demoCatalog()), ProgressListener.NONE);
        JoinedNode joined = primaryUplift.demoJoinNode(base.resolve("lockbox-dr"));
        dr = Path.of(joined.home());
        drUrl = joined.url();
        giveOwnDatabase(dr);
        drConfigAtInstall = files(dr.resolve("config"));
        // The DR site's first refresh, both at 1.0, through the command line: its database gets the
        // primary's data, so its Lockbox can start.
        UpliftJvm.Result first = UpliftJvm.run(base, Duration.ofMinutes(5), "dr", "refresh", "--home", dr.toString(),
                "--from", primary.toString(), "--json");
        assertThat(first.exit()).as(first.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(first.out());
        assertThat(json.get("version").asText()).isEqualTo("1.0");
        assertThat(json.get("programFilesUpdated").asBoolean()).isFalse();
        assertThat(json.get("servicesRestarted").asBoolean()).isFalse();
        assertThat(json.get("rowsRestored").asLong()).isGreaterThan(200);
        assertThat(first.err()).contains("Restoring the primary's database");
        drUplift().startServices();
        drServicesStarted = true;
        assertThat(health(drUrl)).contains("\"version\":\"1.0\"");
        try (Connection c = connect(dr); Statement st = c.createStatement()) {
            // Written on the DR site after its first refresh: the next one replaces the database whole.
            st.execute("CREATE TABLE leftover_from_before (x int)");
        }
        strangerDr = Path.of(primaryUplift.demoJoinNode(base.resolve("lockbox-stranger")).home());
        giveOwnDatabase(strangerDr);
        Path keyset = strangerDr.resolve("config/keyset.json");
        Files.delete(keyset);
        KeysetStore store = KeysetStore.of(keyset);
        store.create(store.defaultKeyFile(), KeyEnvironment.system());

        UpgradeResult upgraded = primaryUplift.upgrade(new UpgradeTarget("2.1"), UpgradeListener.NONE);
        assertThat(upgraded.outcome()).as(upgraded.message()).isEqualTo(UpgradeResult.Outcome.DONE);
        try (Connection c = connect(primary); Statement st = c.createStatement()) {
            st.execute("INSERT INTO users (name, email) VALUES ('after the upgrade 1', 'dr1@example.org'),"
                    + " ('after the upgrade 2', 'dr2@example.org')");
        }
    }

    @AfterAll
    void stopEverything() {
        if (drServicesStarted) {
            try {
                drUplift().stopServices();
            } catch (UpliftException e) {
                System.err.println("Could not stop the DR site's Lockbox: " + e.getMessage());
            }
        }
        if (primaryUplift != null) {
            try {
                primaryUplift.stopDatabase();
            } catch (UpliftException e) {
                // never started
            }
        }
    }

    private Uplift drUplift() {
        return Uplift.configure().home(dr).load();
    }

    private static String health(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/health"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body().replace(" ", "");
    }

    @Test
    @Order(1)
    void aUrlThatIsNotPostgresqlIsRefused() throws Exception {
        expectRefusal(dr, "https://primary.example.org:8443", ErrorCode.USAGE, "is not a PostgreSQL URL");
    }

    @Test
    @Order(8)
    void aPasswordInTheUrlIsRefusedWithoutShowingIt() throws Exception {
        String secret = "pw-" + UUID.randomUUID();
        DatabaseSettings p = DatabaseSettings.read(primary);
        String inUserInfo = primaryUrl().replace("://" + p.user() + "@", "://" + p.user() + ":" + secret + "@");
        assertThat(inUserInfo).contains(secret);
        UpliftException e = expectRefusal(dr, inUserInfo, ErrorCode.USAGE, "holds a password");
        assertThat(e.getMessage()).doesNotContain(secret).contains("--password-file");
        String jdbc = p.url() + (p.url().contains("?") ? "&" : "?") + "user=" + p.user() + "&password=" + secret;
        e = expectRefusal(dr, jdbc, ErrorCode.USAGE, "holds a password");
        assertThat(e.getMessage()).doesNotContain(secret);
    }

    @Test
    @Order(8)
    void aPasswordFileOthersCanReadOrALinkIsRefused() throws Exception {
        Path file = passwordFile(DatabaseSettings.read(primary).password());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        expectRefusal(dr, primaryUrl(), Optional.of(file), ErrorCode.USAGE, "chmod 600 " + file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        // The tests run as root: a link is never followed, even to a file that would pass.
        Path link = Files.createSymbolicLink(file.resolveSibling("link-to-password"), file);
        expectRefusal(dr, primaryUrl(), Optional.of(link), ErrorCode.USAGE, "is a symbolic link");
        // And a home with --password-file: the flag belongs to a URL.
        expectRefusal(dr, primary.toString(), Optional.of(file), ErrorCode.USAGE, "--password-file goes with --from URL");
    }

    @Test
    @Order(9)
    void aDatabaseOfAnotherProductOrOfAReleaseTheDrCatalogLacksIsRefused() throws Exception {
        FakePrimary other = fakePrimary("otherapp", "1.0");
        expectRefusal(dr, other.url(), Optional.of(other.passwordFile()), ErrorCode.INSTALLATION_INVALID,
                "records no release of lockbox, the DR site's product (it records [otherapp 1.0])");
        FakePrimary future = fakePrimary("lockbox", "9.9");
        expectRefusal(dr, future.url(), Optional.of(future.passwordFile()), ErrorCode.CATALOG_INVALID, "has no release 9.9");
        // The DR site's own database under its URL: same database.
        DatabaseSettings mine = DatabaseSettings.read(dr);
        String own = io.uplift.db.ConnectionString.fromJdbc(mine.url(), mine.user(), ErrorCode.USAGE, "test").toString();
        expectRefusal(dr, own, Optional.of(passwordFile(mine.password())), ErrorCode.USAGE, "are the same database");
        // A wrong password: the database cannot be reached, nothing changes.
        expectRefusal(dr, primaryUrl(), Optional.of(passwordFile("not-the-password")), ErrorCode.DATABASE_UNREACHABLE,
                "--password-file FILE");
    }

    @Test
    @Order(2)
    void theSameHomeIsRefused() throws Exception {
        expectRefusal(dr, dr.toString(), ErrorCode.USAGE, "is the DR site's own home");
    }

    @Test
    @Order(3)
    void aHomeOnTheSameDatabaseIsRefused() throws Exception {
        // The primary itself as a DR site of its joined node: both use the primary's database.
        Path joined = Path.of(primaryUplift.demoJoinNode(primary.resolveSibling("lockbox-node2")).home());
        expectRefusal(joined, primary.toString(), ErrorCode.USAGE, "use the same database");
        // The same database under another URL: found by asking both servers which they are.
        DatabaseSettings same = DatabaseSettings.read(joined);
        DurableFiles.write(joined.resolve(DatabaseSettings.FILE),
                new DatabaseSettings(same.url() + "?ApplicationName=uplift-dr-test", same.user(), same.password()).toBytes());
        expectRefusal(joined, primary.toString(), ErrorCode.USAGE, "reach the same server and database");
    }

    @Test
    @Order(4)
    void notAnInstallationIsRefused() throws Exception {
        Path empty = TestPostgres.newTraversableTempDir();
        expectRefusal(dr, empty.toString(), ErrorCode.INSTALLATION_INVALID, "is not an Uplift installation");
    }

    @Test
    @Order(5)
    void anotherKeysetIsRefusedNamingBothFingerprints() throws Exception {
        String primaryFp = io.uplift.keys.KeysetEnvelope.fingerprintOf(primary.resolve("config/keyset.json")).orElseThrow();
        String strangerFp = io.uplift.keys.KeysetEnvelope.fingerprintOf(strangerDr.resolve("config/keyset.json")).orElseThrow();
        assertThat(strangerFp).isNotEqualTo(primaryFp);
        UpliftException e = expectRefusal(strangerDr, primary.toString(), ErrorCode.INSTALLATION_INVALID, "could not decrypt");
        assertThat(e.getMessage()).contains(primaryFp).contains(strangerFp);
    }

    @Test
    @Order(6)
    void aJournalUnderWayInEitherHomeIsRefused() throws Exception {
        for (Path home : List.of(dr, primary)) {
            Path journal = home.resolve(".uplift/journal.json");
            DurableFiles.write(journal, "{}".getBytes());
            try {
                expectRefusal(dr, primary.toString(), ErrorCode.INSTALLATION_INVALID, "An upgrade is under way or was interrupted in " + home);
            } finally {
                Files.delete(journal);
            }
        }
    }

    @Test
    @Order(7)
    void aDrSiteNewerThanThePrimaryIsRefused() throws Exception {
        // The primary (2.1 now) as the DR site of the stranger (1.0): its program files cannot go back.
        expectRefusal(primary, strangerDr.toString(), ErrorCode.PLAN_IMPOSSIBLE, "newer than the primary's");
    }

    @Test
    @Order(11)
    void aDrServerOlderThanThePrimarysIsRefused() throws Exception {
        // After the refresh: a site joined at 2.1 with the primary's keyset but on PostgreSQL 10, refreshed
        // from the DR site (2.1 on PostgreSQL 16, with the primary's data).
        Path onTen = Path.of(primaryUplift.demoJoinNode(primary.resolveSibling("lockbox-on-10")).home());
        giveOwnDatabase(onTen, TestPostgres.v10());
        expectRefusal(onTen, dr.toString(), ErrorCode.DATABASE_SERVER, "is PostgreSQL 10, older than the primary's 16");
    }

    @Test
    @Order(10)
    void refreshBringsTheDrSiteToThePrimarysVersionAndDataWithoutTouchingItsConfig() throws Exception {
        Map<String, String> configBefore = files(dr.resolve("config"));
        assertThat(state(dr)).contains("\"version\" : \"1.0\"");
        List<String> phases = new ArrayList<>();
        long[] lastProgress = {-1, -1};

        DrRefreshResult r = Uplift.configure().home(dr).load().drRefresh(primary.toString(),
                (done, total) -> { lastProgress[0] = done; lastProgress[1] = total; }, phases::add);

        assertThat(r.drVersionBefore()).isEqualTo("1.0");
        assertThat(r.version()).isEqualTo("2.1");
        assertThat(r.programFilesUpdated()).isTrue();
        assertThat(r.servicesRestarted()).as("the DR site's Lockbox ran before, so it runs again").isTrue();
        assertThat(health(drUrl)).as("the DR site's Lockbox serves the primary's release").contains("\"version\":\"2.1\"");
        assertThat(r.primaryServerMajor()).isEqualTo(10);
        assertThat(r.drServerMajor()).isEqualTo(16);
        assertThat(r.rowsRestored()).isGreaterThan(200);
        assertThat(Path.of(r.backupFolder())).startsWith(dr.resolve(".uplift/dr-backups")).isDirectory();
        assertThat(lastProgress[0]).as("the backup's progress reached its end").isEqualTo(lastProgress[1]).isPositive();
        assertThat(phases).anyMatch(p -> p.startsWith("Restoring")).anyMatch(p -> p.startsWith("Bringing"));

        assertThat(state(dr)).contains("\"version\" : \"2.1\"");
        assertThat(Uplift.configure().home(dr).load().status().installedVersion()).isEqualTo("2.1");
        assertThat(scalar(dr, "SELECT version FROM uplift_installation")).isEqualTo("2.1");
        assertThat(checksums(primary)).as("every product table is compared").containsOnlyKeys(PRODUCT_TABLES);
        assertThat(checksums(dr)).isEqualTo(checksums(primary));
        assertThat(scalar(dr, "SELECT count(*) FROM users WHERE email LIKE 'dr_@example.org'")).isEqualTo("2");
        assertThat(scalar(dr, "SELECT to_regclass('public.leftover_from_before')::text")).isNull();
        assertThat(files(dr.resolve("config"))).as("the DR site's node-local files, byte for byte").isEqualTo(configBefore)
                .isEqualTo(drConfigAtInstall);
        assertThat(dr.resolve(".uplift/journal.json")).doesNotExist();
    }

    @Test
    @Order(12)
    void refreshFromThePrimarysDatabaseUrlWithAPasswordFile() throws Exception {
        try (Connection c = connect(primary); Statement st = c.createStatement()) {
            st.execute("INSERT INTO users (name, email) VALUES ('before the URL refresh', 'url1@example.org')");
        }
        assertThat(checksums(dr)).isNotEqualTo(checksums(primary));
        Map<String, String> configBefore = files(dr.resolve("config"));
        Path file = passwordFile(DatabaseSettings.read(primary).password());

        UpliftJvm.Result r = UpliftJvm.run(primary.getParent(), Duration.ofMinutes(5), "dr", "refresh", "--home", dr.toString(),
                "--from", primaryUrl(), "--password-file", file.toString(), "--json");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out() + r.err()).doesNotContain(DatabaseSettings.read(primary).password());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.get("primaryHome").asText()).isEqualTo(primaryUrl());
        assertThat(json.get("version").asText()).isEqualTo("2.1");
        assertThat(json.get("drVersionBefore").asText()).isEqualTo("2.1");
        assertThat(json.get("servicesRestarted").asBoolean()).isTrue();
        assertThat(json.get("backupId").asText()).startsWith("primary-db-");
        assertThat(r.err()).contains("Dumping the primary's database").contains("Restoring the primary's database");
        assertThat(checksums(dr)).isEqualTo(checksums(primary));
        assertThat(scalar(dr, "SELECT count(*) FROM users WHERE email = 'url1@example.org'")).isEqualTo("1");
        assertThat(files(dr.resolve("config"))).as("the DR site's node-local files, byte for byte").isEqualTo(configBefore);
        Path dumpFolder = Path.of(json.get("backupFolder").asText());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dumpFolder))).isEqualTo("rwx------");
        assertThat(health(drUrl)).contains("\"version\":\"2.1\"");
    }

    @Test
    @Order(13)
    void refreshFromTheUrlTakesThePasswordFromPgpassfile() throws Exception {
        try (Connection c = connect(primary); Statement st = c.createStatement()) {
            st.execute("INSERT INTO users (name, email) VALUES ('before the pgpass refresh', 'url2@example.org')");
        }
        DatabaseSettings p = DatabaseSettings.read(primary);
        Path pgpass = passwordFile("*:*:*:" + p.user() + ":" + p.password().replace("\\", "\\\\").replace(":", "\\:"));
        Path work = primary.getParent();
        UpliftJvm run = UpliftJvm.start(work, Map.of("PGPASSFILE", pgpass.toString()), "dr", "refresh", "--home", dr.toString(),
                "--from", primaryUrl(), "--json");
        UpliftJvm.Result r = run.awaitExit(Duration.ofMinutes(5));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(checksums(dr)).isEqualTo(checksums(primary));
        assertThat(scalar(dr, "SELECT count(*) FROM users WHERE email = 'url2@example.org'")).isEqualTo("1");
        try (Stream<Path> dumps = Files.list(dr.resolve(".uplift/dr-backups"))) {
            assertThat(dumps.filter(d -> d.getFileName().toString().startsWith("primary-db-")).toList())
                    .as("an earlier dump of the primary goes once a later refresh succeeded").hasSize(1);
        }
    }

    /** The primary's database as an operator on the DR machine would write it: postgresql://USER@HOST:PORT/DB, no password. */
    private String primaryUrl() {
        DatabaseSettings p = DatabaseSettings.read(primary);
        return io.uplift.db.ConnectionString.fromJdbc(p.url(), p.user(), ErrorCode.USAGE, "test").toString();
    }

    /** A new file, mode 600, holding {@code line}. */
    private static Path passwordFile(String line) throws IOException {
        Path file = TestPostgres.newTraversableTempDir().resolve("password");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, line + "\n");
        return file;
    }

    private record FakePrimary(String url, Path passwordFile) {}

    /** A database on the PostgreSQL 16 test server that records {@code product} {@code version}, as an installation's would. */
    private static FakePrimary fakePrimary(String product, String version) throws Exception {
        TestPostgres.Database db = TestPostgres.v16().newDatabase();
        String role = "fake_" + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        try (Connection c = Jdbc.connect(db.jdbcUrl(), db.user(), db.password()); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            st.execute("ALTER DATABASE " + db.name() + " OWNER TO " + role);
        }
        try (Connection c = Jdbc.connect(db.jdbcUrl(), role, password); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE public.uplift_installation (product text PRIMARY KEY, version text NOT NULL)");
            st.execute("INSERT INTO public.uplift_installation VALUES ('" + product + "', '" + version + "')");
        }
        String url = io.uplift.db.ConnectionString.fromJdbc(db.jdbcUrl(), role, ErrorCode.USAGE, "test").toString();
        return new FakePrimary(url, passwordFile(password));
    }

    /** Refused with {@code code} and a message containing {@code says}; both sites (and the primary) exactly as before. */
    private UpliftException expectRefusal(Path drHome, String from, ErrorCode code, String says) throws Exception {
        return expectRefusal(drHome, from, Optional.empty(), code, says);
    }

    private UpliftException expectRefusal(Path drHome, String from, Optional<Path> passwordFile, ErrorCode code, String says)
            throws Exception {
        List<Path> homes = new ArrayList<>(List.of(drHome, primary));
        Path fromHome = Path.of(from.contains("://") ? "/" : from);
        if (Files.isRegularFile(fromHome.resolve(".uplift/state.json")) && !homes.contains(fromHome)) {
            homes.add(fromHome);
        }
        Map<Path, Map<String, String>> before = new LinkedHashMap<>();
        for (Path home : homes) {
            before.put(home, snapshot(home));
        }
        Throwable thrown = catchRefusal(drHome, from, passwordFile);
        assertThat(thrown).isInstanceOf(UpliftException.class).hasMessageContaining(says).hasMessageContaining("Nothing was changed");
        UpliftException e = (UpliftException) thrown;
        assertThat(e.code()).as(e.getMessage()).isEqualTo(code);
        for (Path home : homes) {
            assertThat(snapshot(home)).as(home + " after the refusal").isEqualTo(before.get(home));
        }
        return e;
    }

    private static Throwable catchRefusal(Path drHome, String from, Optional<Path> passwordFile) {
        try {
            Uplift.configure().home(drHome).load().drRefresh(from, passwordFile, ProgressListener.NONE, p -> { });
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** The home's program files, node-local files and state, and its database's content. */
    private Map<String, String> snapshot(Path home) throws Exception {
        Map<String, String> all = new TreeMap<>();
        for (String folder : List.of("app", "config")) {
            files(home.resolve(folder)).forEach((k, v) -> all.put(folder + "/" + k, v));
        }
        all.put(".uplift/state.json", state(home));
        Path backups = home.resolve(".uplift/dr-backups");
        if (Files.isDirectory(backups)) {
            try (Stream<Path> list = Files.list(backups)) {
                all.put(".uplift/dr-backups", list.map(p -> p.getFileName().toString()).sorted().toList().toString());
            }
        }
        checksums(home).forEach((k, v) -> all.put("table " + k, v));
        return all;
    }

    private static Map<String, String> files(Path folder) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                hashes.put(folder.relativize(p).toString(), Sha256.hex(Files.readAllBytes(p)));
            }
        }
        return hashes;
    }

    private static String state(Path home) throws IOException {
        return Files.readString(home.resolve(".uplift/state.json"));
    }

    /** Per product table, an md5 of its rows in a fixed order; empty for a database that has none of them. */
    private static Map<String, String> checksums(Path home) throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        try (Connection c = connect(home); Statement st = c.createStatement()) {
            for (String table : PRODUCT_TABLES) {
                try (ResultSet exists = st.executeQuery("SELECT to_regclass('public." + table + "') IS NOT NULL")) {
                    exists.next();
                    if (!exists.getBoolean(1)) {
                        continue;
                    }
                }
                try (ResultSet rs = st.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '')"
                        + " FROM " + table + " t")) {
                    rs.next();
                    sums.put(table, rs.getString(1));
                }
            }
        }
        return sums;
    }

    private static String scalar(Path home, String sql) throws SQLException {
        try (Connection c = connect(home); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static Connection connect(Path home) {
        DatabaseSettings s = DatabaseSettings.read(home);
        return Jdbc.connect(s.url(), s.user(), s.password());
    }

    /** A database of its own on a PostgreSQL test server (16 unless named), owned by a role of its own, in the home's config/database.properties. */
    private static void giveOwnDatabase(Path home) throws Exception {
        giveOwnDatabase(home, TestPostgres.v16());
    }

    private static void giveOwnDatabase(Path home, TestPostgres.Server server) throws Exception {
        TestPostgres.Database db = server.newDatabase();
        String role = "dr_" + UUID.randomUUID().toString().substring(0, 8);
        String password = UUID.randomUUID().toString();
        try (Connection c = Jdbc.connect(db.jdbcUrl(), db.user(), db.password()); Statement st = c.createStatement()) {
            st.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
            st.execute("ALTER DATABASE " + db.name() + " OWNER TO " + role);
        }
        DurableFiles.write(home.resolve(DatabaseSettings.FILE), new DatabaseSettings(db.jdbcUrl(), role, password).toBytes());
    }
}
