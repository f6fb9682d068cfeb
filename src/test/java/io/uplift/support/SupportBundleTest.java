package io.uplift.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.Uplift;
import io.uplift.api.DemoSettings;
import io.uplift.api.SupportBundle;
import io.uplift.api.UpgradeTarget;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.NodeLocalFiles;
import io.uplift.journal.Journal;
import io.uplift.journal.JournalStep;
import io.uplift.journal.RunState;
import io.uplift.journal.StepStatus;
import io.uplift.journal.UpgradeJournal;
import io.uplift.journal.UpgradeLogFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The support bundle of an installation whose config/ holds a known password, keyset material and an
 * app token file: the reports and journals are in it, not one byte of those secrets is.
 */
class SupportBundleTest {
    static final String PASSWORD = "Known-Pa55word-7f3e9c";
    static final String KEY_MATERIAL = "CiQAk3yM4t3r1alKeYbYt3sDoNotLeak0123456789abcdef";
    static final String APP_TOKEN = "lbx2_TokenFileContentDoNotLeak_0123456789abcdefghijk";
    static final String DUMP = "PGDMP-backup-dump-content-do-not-leak";

    @TempDir
    Path dir;

    private Path installation() throws IOException {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("app"));
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("app/VERSION"), "1.0\n");
        Files.write(home.resolve(DatabaseSettings.FILE), new DatabaseSettings("jdbc:postgresql://127.0.0.1:1/lockbox", "lockbox", PASSWORD).toBytes());
        Files.writeString(home.resolve("config/keyset.json"), "{\"primaryKeyId\":1,\"key\":[{\"keyData\":{\"value\":\"" + KEY_MATERIAL + "\"}}]}\n");
        Files.writeString(home.resolve("config/app-token"), APP_TOKEN + "\n");
        List<String> nodeLocal = List.of("config/database.properties", "config/keyset.json", "config/app-token");
        Installation.record(home, new InstallationState("lockbox", "1.0", DemoSettings.shippedCatalog().toString(),
                Files.getOwner(home.resolve("app")).getName(), NodeLocalFiles.fingerprint(home, nodeLocal), null, List.of()));
        Path upliftDir = home.resolve(".uplift");
        Files.createDirectories(upliftDir.resolve("backups/20261207T060000Z-lockbox-1.0"));
        Files.writeString(upliftDir.resolve("backups/20261207T060000Z-lockbox-1.0/database.dump"), DUMP);
        UpgradeLogFile log = new UpgradeLogFile(upliftDir, Clock.systemUTC());
        log.append("upgrade 1.0 -> 1.1 started by uplift upgrade --to 1.1");
        log.append("step 1.1/checks started: Run the preflight checks");
        Journal.create(upliftDir.resolve("journal.json"), Clock.systemUTC(), journal("20261201T090000Z-1.0-to-1.1")).archive();
        Journal.create(upliftDir.resolve("journal.json"), Clock.systemUTC(), journal("20261207T060000Z-1.0-to-1.1"));
        // An agent that quoted a connection string with the password in it: the redaction's case.
        Files.writeString(upliftDir.resolve("agent-status"), "2026-12-07T06:00:00Z cannot reach jdbc:postgresql://db/lockbox?password="
                + PASSWORD + "\n");
        return home;
    }

    private static UpgradeJournal journal(String id) {
        return new UpgradeJournal(id, "lockbox", "1.0", "1.1", RunState.FAILED, "sum", null, false, "2026-12-07T06:00:00Z",
                "2026-12-07T06:00:01Z", "stopped", "/catalog", "/backups", null,
                List.of(new JournalStep("1.1/checks", "CHECKS", "1.0", "1.1", StepStatus.FAILED, null, null, 0, "the database cannot be reached")));
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    @Test
    void theBundleHoldsTheReportsJournalsAndLogAndNoByteOfPasswordKeysetTokenFileOrBackup() throws IOException {
        Path home = installation();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SupportBundle bundle = Uplift.configure().home(home).load().writeSupportBundle(Optional.of(new UpgradeTarget("1.1")), out);

        Map<String, byte[]> entries = unzip(out.toByteArray());
        assertThat(bundle.entries()).containsExactlyElementsOf(entries.keySet());
        assertThat(entries.keySet()).startsWith("README.txt").contains("status.json", "journal.json",
                "history/20261201T090000Z-1.0-to-1.1.json", "upgrade.log", "agent-status");
        assertThat(entries.keySet()).contains("plan.json", "checks.json").doesNotContain("plan-error.txt");
        assertThat(new String(entries.get("plan.json"), StandardCharsets.UTF_8)).as("the shape of 'plan --json'")
                .contains("\"target\" : \"1.1\"").contains("\"databaseMove\" : null").contains("\"kind\" : \"BACKUP\"");
        assertThat(new String(entries.get("checks.json"), StandardCharsets.UTF_8)).contains("\"id\" : \"database-reachable\"");
        assertThat(entries.keySet()).noneMatch(n -> n.startsWith("config") || n.contains("backup") || n.contains("state.json")
                || n.contains("keyset") || n.contains("token") || n.contains("database.properties"));
        String status = new String(entries.get("status.json"), StandardCharsets.UTF_8);
        assertThat(status).contains("\"installedVersion\" : \"1.0\"").contains("jdbc:postgresql://127.0.0.1:1/lockbox");
        assertThat(new String(entries.get("upgrade.log"), StandardCharsets.UTF_8)).contains("\tstep 1.1/checks started: Run the preflight checks\n");
        assertThat(new String(entries.get("journal.json"), StandardCharsets.UTF_8)).contains("20261207T060000Z-1.0-to-1.1");

        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            String text = new String(e.getValue(), StandardCharsets.ISO_8859_1);
            for (String secret : List.of(PASSWORD, KEY_MATERIAL, APP_TOKEN, DUMP)) {
                assertThat(text).as(e.getKey() + " must not hold " + secret).doesNotContain(secret);
            }
        }
        assertThat(new String(out.toByteArray(), StandardCharsets.ISO_8859_1)).as("not even in the zip's own bytes")
                .doesNotContain(PASSWORD).doesNotContain(KEY_MATERIAL).doesNotContain(APP_TOKEN).doesNotContain(DUMP);
        assertThat(new String(entries.get("agent-status"), StandardCharsets.UTF_8)).contains(PasswordRedaction.REPLACEMENT);
        String readme = new String(entries.get("README.txt"), StandardCharsets.UTF_8);
        assertThat(readme).contains("status.json", "upgrade.log", "history/20261201T090000Z-1.0-to-1.1.json", "Left out on purpose",
                "config/", "database password appeared");
    }

    @Test
    void withoutATargetThereIsNoPlanAndAHomeWithoutUpgradesStillGivesABundle() throws IOException {
        Path home = installation();
        Files.delete(home.resolve(".uplift/journal.json"));
        Files.delete(home.resolve(".uplift/agent-status"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SupportBundle bundle = Uplift.configure().home(home).load().writeSupportBundle(Optional.empty(), out);

        assertThat(bundle.entries()).contains("README.txt", "status.json", "upgrade.log")
                .doesNotContain("plan.json", "checks.json", "plan-error.txt", "journal.json", "agent-status");
        assertThat(new String(unzip(out.toByteArray()).get("README.txt"), StandardCharsets.UTF_8)).doesNotContain("password appeared");
    }

    @Test
    void aPlanThatCannotBeComputedBecomesPlanErrorTxtAndTheBundleStillCompletes() throws IOException {
        Path home = installation();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        SupportBundle bundle = Uplift.configure().home(home).load().writeSupportBundle(Optional.of(new UpgradeTarget("9.9")), out);

        Map<String, byte[]> entries = unzip(out.toByteArray());
        assertThat(bundle.entries()).contains("plan-error.txt", "status.json", "upgrade.log").doesNotContain("plan.json", "checks.json");
        assertThat(new String(entries.get("plan-error.txt"), StandardCharsets.UTF_8)).contains("plan: ").contains("checks: ").contains("9.9");
    }
}
