package io.uplift.upgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.testsupport.UpliftJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Issue 13, items 9 and 10: Uplift's secrets stay out of the servers it starts and out of its journal. */
class SecretsIT {
    private static final String MASTER_KEY = "bWFzdGVyLWtleS1vZi10aGUtb3BlcmF0b3ItMzItYnl0ZXM=";
    private static final String PASSPHRASE = "operator passphrase never for children";

    @AfterAll
    static void stopEveryDemoServer() {
        Demo.stopAll();
    }

    @Test
    void issue13_item9_aServerStartedByUpliftHoldsNoneOfUpliftsSecretsInItsEnvironment() throws Exception {
        Demo demo = Demo.prepare(100);
        UpliftJvm.Result stop = demo.run("db", "stop", "--home", demo.home.toString());
        assertThat(stop.exit()).as(stop.toString()).isZero();

        UpliftJvm.Result start = UpliftJvm.start(demo.work, Map.of("UPLIFT_MASTER_KEY", MASTER_KEY, "UPLIFT_KEYSET_PASSPHRASE", PASSPHRASE,
                "PGSERVICE", "not-for-the-server"), "db", "start", "--home", demo.home.toString()).awaitExit(Duration.ofMinutes(2));
        assertThat(start.exit()).as(start.toString()).isZero();

        long postmaster = Long.parseLong(Files.readAllLines(demo.home.resolve("db/pg10/postmaster.pid")).get(0).strip());
        String environ = new String(Files.readAllBytes(Path.of("/proc", Long.toString(postmaster), "environ")), StandardCharsets.UTF_8)
                .replace('\0', '\n');
        assertThat(environ).as("the postmaster's environment").contains("PATH=")
                .doesNotContain(MASTER_KEY).doesNotContain(PASSPHRASE).doesNotContain("UPLIFT_").doesNotContain("not-for-the-server");
    }

    private static String decoded(String value) {
        try {
            return new String(java.util.Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return value;
        }
    }

    @Test
    void issue13_item10_afterAnUpgradeWithADatabaseMoveNeitherTheJournalNorItsHistoryHoldsAPassword() throws Exception {
        Demo demo = Demo.prepare(300);
        String databasePassword = demo.databaseProperties().getProperty("password");
        assertThat(databasePassword).isNotBlank();

        UpliftJvm.Result upgrade = demo.run(demo.args(Optional.empty(), "upgrade", "--to", "3.0", "--yes"));
        assertThat(upgrade.exit()).as(upgrade.toString()).isZero();

        Path superuserFile = demo.home.resolve("db/pg16.superuser-password");
        String superuserPassword = Files.exists(superuserFile) ? Files.readString(superuserFile).strip() : "(no file)";
        List<Path> journals;
        try (Stream<Path> history = Files.list(demo.home.resolve(".uplift/history"))) {
            journals = Stream.concat(history, Stream.of(demo.journalFile()).filter(Files::exists)).toList();
        }
        assertThat(journals).isNotEmpty();
        String moveJournal = "";
        for (Path journal : journals) {
            String text = Files.readString(journal);
            assertThat(text).as(journal.toString()).doesNotContain(databasePassword).doesNotContain(superuserPassword);
            // Nor encoded: a fact once held config/database.properties in base64.
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(text).path("facts").forEach(fact ->
                    assertThat(decoded(fact.asText())).as(journal + ": fact " + fact).doesNotContain(databasePassword));
            if (text.contains("superuser-password-file")) {
                moveJournal = text;
            }
        }
        assertThat(moveJournal).as("the journal names the file instead").contains("db/pg16.superuser-password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(superuserFile))).isEqualTo("rw-------");
        assertThat(superuserPassword).hasSizeGreaterThan(20);
        assertThat(demo.home.resolve(".uplift/move")).as("the old settings copy goes when the upgrade ends").doesNotExist();
    }
}
