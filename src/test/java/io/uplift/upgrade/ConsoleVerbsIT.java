package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.Uplift;
import io.uplift.api.DemoSettings;
import io.uplift.api.ErrorCode;
import io.uplift.api.JournalView;
import io.uplift.api.LogLine;
import io.uplift.api.MaintenanceState;
import io.uplift.api.ProgressListener;
import io.uplift.api.SupportBundle;
import io.uplift.api.UpgradeListener;
import io.uplift.api.UpgradeLog;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeTarget;
import io.uplift.api.UpliftException;
import io.uplift.cli.UpliftCommand;
import io.uplift.install.DatabaseSettings;
import io.uplift.testsupport.LockHolderJvm;
import io.uplift.testsupport.ShippedCatalog;
import io.uplift.testsupport.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The facade verbs the console needs, on a real Lockbox 1.0 demo (PostgreSQL 10): maintenance mode
 * by hand against the product's own sessions, the upgrade log and journal of a real upgrade to 1.1,
 * and the support bundle of that installation, which must hold none of its secrets.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleVerbsIT {
    /** Far above the demo's own event ids. */
    private static final AtomicLong NEXT_ID = new AtomicLong(800_000_000L);
    private static Path home;
    private static Uplift uplift;

    @BeforeAll
    static void prepareDemo() {
        home = TestPostgres.newTraversableTempDir().resolve("lockbox");
        uplift = Uplift.configure().home(home).load();
        uplift.prepareDemo(new DemoSettings(500, 7, DemoSettings.shippedCatalog()), ProgressListener.NONE);
    }

    @AfterAll
    static void stopTheServer() {
        if (uplift != null && Files.exists(home.resolve(".uplift/state.json"))) {
            uplift.stopDatabase();
        }
    }

    private static Connection productSession() throws SQLException {
        DatabaseSettings db = DatabaseSettings.read(home);
        Properties p = new Properties();
        p.setProperty("user", db.user());
        p.setProperty("password", db.password());
        return java.sql.DriverManager.getConnection(db.url(), p);
    }

    private static void insertEvent(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.executeUpdate("INSERT INTO events (id, occurred_at, kind) VALUES (" + NEXT_ID.incrementAndGet() + ", now(), 'console-verbs')");
        }
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cli = UpliftCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        assertThat(exit).as(out + "\n" + err).isZero();
        return out.toString();
    }

    @Test
    @Order(1)
    void maintenanceOnRefusesTheProductsWritesAndEndsItsSessionsOffLetsThemWriteAgainAndALockedHomeRefusesBoth() throws Exception {
        try (Connection open = productSession()) {
            insertEvent(open);

            MaintenanceState on = uplift.maintenance(true, "moving the racks");

            assertThat(on.on()).isTrue();
            assertThat(on.reason()).isEqualTo("moving the racks");
            assertThat(on.since()).isNotBlank();
            assertThat(on.sessionsEnded()).as("the product's open session was ended").isPositive();
            assertThatThrownBy(() -> insertEvent(open)).isInstanceOf(SQLException.class);
        }
        try (Connection fresh = productSession(); Statement st = fresh.createStatement()) {
            st.execute("SET default_transaction_read_only = off"); // a session that tries to get round it meets the guard
            assertThatThrownBy(() -> insertEvent(fresh)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("25006");
                assertThat(e.getMessage()).contains("moving the racks").contains("uplift maintenance off");
            });
        }
        assertThat(uplift.maintenance()).isEqualTo(new MaintenanceState(true, uplift.maintenance().since(), "moving the racks", 0));
        assertThat(cli("maintenance", "--home", home.toString())).contains("Maintenance    on since").contains("moving the racks");

        try (LockHolderJvm holder = LockHolderJvm.hold(home, "uplift upgrade --to 1.1")) {
            assertThatThrownBy(() -> uplift.maintenance(false, ""))
                    .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED))
                    .hasMessageContaining("pid " + holder.pid());
        }
        assertThat(uplift.maintenance().on()).as("the refused 'off' changed nothing").isTrue();

        assertThat(cli("maintenance", "off", "--yes", "--home", home.toString())).contains("Maintenance    off");
        assertThat(uplift.maintenance().on()).isFalse();
        try (Connection fresh = productSession()) {
            insertEvent(fresh);
        }
    }

    @Test
    @Order(2)
    void anUpgradeToOneOneWritesItsStartEveryStepAndItsEndToTheLogAndLeavesItsJournalInTheHistory() {
        UpgradeResult r = uplift.upgrade(new UpgradeTarget("1.1"), UpgradeListener.NONE);
        assertThat(r.outcome()).isEqualTo(UpgradeResult.Outcome.DONE);

        List<String> lines = new ArrayList<>();
        long cursor = 0;
        for (UpgradeLog page = uplift.upgradeLog(cursor, 4); !page.lines().isEmpty(); page = uplift.upgradeLog(cursor, 4)) {
            assertThat(page.lines()).hasSizeLessThanOrEqualTo(4);
            page.lines().forEach(l -> lines.add(l.text()));
            cursor = page.next();
        }
        assertThat(uplift.upgradeLog(0, 10_000).lines()).extracting(LogLine::text).as("read in pages of four: none lost, none repeated")
                .containsExactlyElementsOf(lines);
        System.out.println("[ConsoleVerbsIT] upgrade.log of the upgrade to 1.1:\n  " + String.join("\n  ", lines));
        assertThat(lines.get(0)).isEqualTo("upgrade 1.0 -> 1.1 started by uplift upgrade --to 1.1");
        assertThat(lines).contains("step 1.1/checks started: " + io.uplift.api.StepKind.CHECKS.title())
                .anyMatch(l -> l.matches("step 1\\.1/backup done in \\d+\\.\\d s"))
                .anyMatch(l -> l.matches("step 1\\.1/migrate-schema done in \\d+\\.\\d s"))
                .anyMatch(l -> l.startsWith("step 1.1/maintenance-off started"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("ended: done: " + r.message());
        assertThat(lines).as("a line per tenth at most, not one per count").filteredOn(l -> l.contains("%")).hasSizeLessThan(60);
        assertThat(uplift.upgradeLog(cursor, 10)).isEqualTo(new UpgradeLog(List.of(), cursor));

        JournalView journal = uplift.journal().orElseThrow();
        assertThat(journal.inProgress()).isFalse();
        assertThat(List.of(journal.from(), journal.target(), journal.state())).containsExactly("1.0", "1.1", "DONE");
        assertThat(journal.steps()).isNotEmpty().allSatisfy(s -> {
            assertThat(s.status()).isEqualTo("DONE");
            assertThat(s.hop()).isEqualTo("1.0->1.1");
        });
    }

    @Test
    @Order(3)
    void theSupportBundleOfTheUpgradedDemoHoldsItsReportsAndNoneOfItsPasswordKeyMaterialOrBackups() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SupportBundle bundle = uplift.writeSupportBundle(Optional.of(new UpgradeTarget("2.1")), out);

        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        assertThat(bundle.entries()).containsExactlyElementsOf(entries.keySet());
        assertThat(entries.keySet()).contains("README.txt", "status.json", "upgrade.log", "plan.json", "checks.json")
                .anyMatch(n -> n.startsWith("history/") && n.endsWith("-1.0-to-1.1.json"))
                .noneMatch(n -> n.startsWith("config") || n.contains("backup") || n.endsWith(".dump"));
        assertThat(new String(entries.get("plan.json"), StandardCharsets.UTF_8)).contains("\"installed\" : \"1.1\"", "\"target\" : \"2.1\"");

        List<String> secrets = new ArrayList<>(List.of(DatabaseSettings.read(home).password()));
        // The sealed key material of config/keyset.json: every long text value of its encryptedKeyset.
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(home.resolve("config/keyset.json").toFile()).path("encryptedKeyset")
                .findParents("encryptedKeyset").forEach(n -> secrets.add(n.get("encryptedKeyset").asText()));
        assertThat(secrets).as("the password and the sealed keyset").hasSize(2).allMatch(s -> s.length() >= 16);
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String text = new String(e.getValue(), StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertThat(text).as(e.getKey() + " must hold no secret of config/").doesNotContain(secret);
            }
        }
    }

    @Test
    @Order(4)
    void aFailedUpgradeShowsInProgressKeepsMaintenanceModeItsOwnAndItsRollbackIsLoggedToTheEnd() throws Exception {
        Path catalog = ShippedCatalog.copy(c -> {
            Files.writeString(c.resolve("releases/2.1/migrations/V2_1_0_900__fails.sql"), "SELECT 1 / 0;\n");
            ShippedCatalog.reseal(c, "2.1");
        });
        Uplift withFailingCatalog = Uplift.configure().home(home).catalog(catalog).load();
        long before = uplift.upgradeLog(0, 10_000).next();

        assertThatThrownBy(() -> withFailingCatalog.upgrade(new UpgradeTarget("2.1"), UpgradeListener.NONE))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPGRADE_FAILED));

        JournalView journal = uplift.journal().orElseThrow();
        assertThat(journal.inProgress()).isTrue();
        assertThat(List.of(journal.from(), journal.target(), journal.state())).containsExactly("1.1", "2.1", "FAILED");
        assertThat(journal.steps()).filteredOn(s -> s.status().equals("FAILED")).singleElement()
                .satisfies(s -> assertThat(s.id()).isEqualTo("2.1/migrate-schema"));
        assertThat(uplift.maintenance().on()).as("the failed upgrade keeps its maintenance mode").isTrue();
        assertThatThrownBy(() -> uplift.maintenance(false, ""))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED))
                .hasMessageContaining("uplift resume").hasMessageContaining("uplift rollback");

        UpgradeResult rolledBack = withFailingCatalog.rollback(UpgradeListener.NONE);

        assertThat(rolledBack.outcome()).isEqualTo(UpgradeResult.Outcome.ROLLED_BACK);
        List<String> lines = uplift.upgradeLog(before, 10_000).lines().stream().map(LogLine::text).toList();
        System.out.println("[ConsoleVerbsIT] upgrade.log of the failed upgrade to 2.1 and its rollback:\n  " + String.join("\n  ", lines));
        assertThat(lines.get(0)).isEqualTo("upgrade 1.1 -> 2.1 started by uplift upgrade --to 2.1");
        assertThat(lines).anyMatch(l -> l.startsWith("stopped (exit 18): Step 2.1/migrate-schema"))
                .contains("rollback of the upgrade 1.1 -> 2.1 (failed) started by uplift rollback")
                .anyMatch(l -> l.startsWith("undo of step 2.1/backup started"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("ended: rolled back: " + rolledBack.message());
        assertThat(uplift.journal().orElseThrow()).satisfies(j -> {
            assertThat(j.inProgress()).isFalse();
            assertThat(j.state()).isEqualTo("ROLLED_BACK");
        });
        assertThat(uplift.maintenance().on()).isFalse();
    }
}
