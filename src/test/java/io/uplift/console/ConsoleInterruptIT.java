package io.uplift.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.Uplift;
import io.uplift.testsupport.UpliftJvm;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real processes, real SIGKILL: an upgrade run by 'uplift upgrade' in a terminal shows in the console
 * as it runs; killed, the console offers Resume and Rollback. A console killed in the middle of the
 * upgrade it runs leaves the journal like any interruption, and the next console offers the same
 * two, never an endless spinner; its Rollback returns the installation to where it was.
 */
class ConsoleInterruptIT {
    private static final Pattern URL = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/)");
    private static ConsoleFixture console;

    @BeforeAll
    static void start() throws Exception {
        console = ConsoleFixture.demo(500);
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    void aTerminalsUpgradeShowsInTheConsoleAndAKilledConsolesUpgradeIsOfferedResumeOrRollback() throws Exception {
        Path work = console.home().getParent();
        String home = console.home().toString();
        ConsoleClient admin = console.signedIn();

        UpliftJvm terminal = UpliftJvm.start(work, Map.of("UPLIFT_TEST_HOLD_AT", "1.1/migrate-schema:before"),
                "upgrade", "--to", "1.1", "--yes", "--home", home);
        await("the terminal's upgrade to hold", () -> terminal.err().contains("uplift-test-hold"));
        HttpResponse<String> running = admin.get("/upgrade");
        assertThat(running.body()).contains("Started outside this console").contains("uplift upgrade");
        assertThat(running.body()).as("the terminal run's log lines").contains("Stage the new program files");
        assertThat(running.body()).doesNotContain("action=\"/upgrade/resume\"");
        terminal.kill();
        HttpResponse<String> interrupted = admin.get("/upgrade");
        assertThat(interrupted.body()).contains("An upgrade was interrupted").contains("action=\"/upgrade/resume\"")
                .contains("action=\"/upgrade/rollback\"");

        // A console in its own JVM resumes it, holding it again just after the migration; then it is killed.
        Path passwordFile = ConsoleFixture.passwordFile(work, ConsoleFixture.PASSWORD);
        UpliftJvm second = UpliftJvm.start(work, Map.of("UPLIFT_TEST_HOLD_AT", "1.1/migrate-schema:after"),
                "console", "--home", home, "--port", "0", "--admin-password-file", passwordFile.toString());
        await("the second console to listen", () -> URL.matcher(second.out()).find());
        Matcher m = URL.matcher(second.out());
        assertThat(m.find()).isTrue();
        ConsoleClient viaSecond = new ConsoleClient(m.group(1));
        assertThat(viaSecond.signIn(ConsoleFixture.PASSWORD).statusCode()).isEqualTo(303);
        viaSecond.get("/upgrade");
        viaSecond.post("/upgrade/resume", Map.of());
        await("the second console's resume to hold", () -> second.err().contains("uplift-test-hold 1.1/migrate-schema:after"));
        second.kill();

        HttpResponse<String> after = admin.get("/upgrade");
        assertThat(after.body()).contains("An upgrade was interrupted").contains("action=\"/upgrade/resume\"")
                .contains("action=\"/upgrade/rollback\"").doesNotContain("This console runs");
        admin.post("/upgrade/rollback", Map.of());
        await("the rollback to end", () -> {
            String page = admin.get("/upgrade").body();
            return page.contains("id=\"outcome\"") && !page.contains("This console runs ");
        });
        assertThat(admin.get("/upgrade").body()).contains("Rolled back: 1.0 is installed");
        Uplift uplift = Uplift.configure().home(console.home()).load();
        assertThat(uplift.status().installedVersion()).isEqualTo("1.0");
        assertThat(uplift.upgradeInProgress()).isFalse();
    }

    private static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 3 minutes: " + what);
            }
            ConsoleRunsIT.pollPause();
        }
    }
}
