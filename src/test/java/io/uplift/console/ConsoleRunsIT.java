package io.uplift.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.Uplift;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Upgrades run by the console, over HTTP: the session that starts one holds it and every other
 * session is read-only (and told who holds it); Pause stops at a safe point and Resume goes on;
 * Cancel rolls back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleRunsIT {
    private static final Pattern OUTCOME = Pattern.compile("<span id=\"outcome\">([^<]*)</span>");
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
    @Order(1)
    void theHoldersSessionPausesAndResumesWhileAnotherSessionIsReadOnlyAndToldWhoHoldsIt() {
        ConsoleClient holder = console.signedIn();
        ConsoleClient other = console.signedIn();
        holder.get("/plan?to=1.1");
        HttpResponse<String> started = holder.post("/upgrade/start", Map.of("to", "1.1"));
        assertThat(started.statusCode()).isEqualTo(200);
        HttpResponse<String> pause = holder.post("/upgrade/pause", Map.of());
        assertThat(pause.body()).contains("Pause asked");

        HttpResponse<String> seen = other.get("/upgrade");
        if (!outcomeOf(seen).isPresent()) { // still running: the other session is read-only
            assertThat(seen.body()).contains("Read-only").contains("holds the console");
            HttpResponse<String> refused = other.postRaw("/upgrade/cancel", Map.of("csrf", other.csrf()));
            assertThat(refused.statusCode()).isIn(409, 303); // 303 only if the run ended between the two requests
            if (refused.statusCode() == 409) {
                assertThat(refused.body()).contains("Read-only").contains("session ").contains("Nothing was changed");
            }
        }
        String paused = awaitOutcome(holder, o -> true);
        assertThat(paused).startsWith("Paused");
        assertThat(Uplift.configure().home(console.home()).load().upgradeState().state()).isEqualTo("interrupted");
        assertThat(holder.get("/upgrade").body()).contains("action=\"/upgrade/resume\"").contains("action=\"/upgrade/rollback\"");

        holder.post("/upgrade/resume", Map.of());
        assertThat(awaitOutcome(holder, o -> !o.startsWith("Paused"))).startsWith("Done: 1.1 is installed");
        assertThat(Uplift.configure().home(console.home()).load().status().installedVersion()).isEqualTo("1.1");
    }

    @Test
    @Order(2)
    void cancelRollsTheUpgradeBackAtTheNextSafePoint() {
        ConsoleClient admin = console.signedIn();
        admin.get("/plan?to=2.1");
        admin.post("/upgrade/start", Map.of("to", "2.1"));
        admin.post("/upgrade/cancel", Map.of());
        String outcome = awaitOutcome(admin, o -> !o.startsWith("Done: 1.1")); // the previous run's outcome until this one ends
        assertThat(outcome).startsWith("Cancelled: Rolled back: 1.1 is installed");
        var uplift = Uplift.configure().home(console.home()).load();
        assertThat(uplift.status().installedVersion()).isEqualTo("1.1");
        assertThat(uplift.upgradeInProgress()).isFalse();
    }

    private static java.util.Optional<String> outcomeOf(HttpResponse<String> page) {
        Matcher m = OUTCOME.matcher(page.body());
        return m.find() ? java.util.Optional.of(m.group(1).replace("&#39;", "'").replace("&quot;", "\"").replace("&amp;", "&")) : java.util.Optional.empty();
    }

    /** Between two polls of a page (the poll has a deadline; this only spares the two cores). */
    static void pollPause() {
        java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(250).toNanos());
    }

    /** Polls the upgrade page (no sleeping for a fixed time: each poll is a request) until the job's outcome shows. */
    private static String awaitOutcome(ConsoleClient client, Predicate<String> wanted) {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> page = client.get("/upgrade");
            var outcome = outcomeOf(page).filter(wanted);
            if (outcome.isPresent() && !page.body().contains("This console runs ")) {
                return outcome.get();
            }
            pollPause();
        }
        throw new AssertionError("no outcome within 4 minutes:\n" + client.get("/upgrade").body());
    }

    @Test
    @Order(3)
    void aDrRefreshFromThisVeryHomeIsRefusedAndTheRefusalShowsAsTheJobsOutcome() {
        ConsoleClient admin = console.signedIn();
        assertThat(admin.get("/dr").body()).contains("id=\"dr-from\"");
        HttpResponse<String> empty = admin.post("/dr/refresh", Map.of("from", " "));
        assertThat(empty.body()).contains("Primary: give the primary");
        admin.post("/dr/refresh", Map.of("from", console.home().toString()));
        String outcome = awaitOutcome(admin, o -> !o.startsWith("Cancelled"));
        assertThat(outcome).containsIgnoringCase(console.home().toString());
        assertThat(admin.get("/upgrade").body()).contains("notice fail");
        assertThat(Uplift.configure().home(console.home()).load().status().installedVersion()).isEqualTo("1.1");
    }
}
