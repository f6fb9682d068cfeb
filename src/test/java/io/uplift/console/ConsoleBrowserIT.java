package io.uplift.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.Uplift;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console end to end in a real browser (headless Chromium): sign in, see the plan and the checks,
 * run the demo upgrade 1.0 -> 3.0 (a move to PostgreSQL 16 and a key rotation), close the browser
 * in the middle of the database move and open a new one: the same run, step and log, to the end,
 * with no line lost or shown twice. The pages' screenshots are taken on the way.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    private static final String MOVE = "Move the database to a newer PostgreSQL server";
    private static ConsoleFixture console;

    @BeforeAll
    static void start() throws Exception {
        console = ConsoleFixture.demo(60_000);
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
    }

    @Test
    @Order(1)
    void withoutASessionEveryPageLeadsToSignIn() throws Exception {
        try (Browser browser = new Browser(console.url())) {
            browser.open("/upgrade");
            assertThat(browser.driver.getCurrentUrl()).endsWith("/login");
            browser.screenshot("sign-in");
            browser.signIn("not the password");
            assertThat(browser.text(".notice.fail")).contains("Wrong password").contains("more attempt");
            browser.signIn(ConsoleFixture.PASSWORD);
            assertThat(browser.text("#installed-version")).isEqualTo("1.0");
            browser.screenshot("status");
        }
    }

    @Test
    @Order(2)
    void aTamperedCsrfTokenIsRefusedAndChangesNothing() {
        try (Browser browser = new Browser(console.url())) {
            browser.signIn(ConsoleFixture.PASSWORD);
            browser.open("/plan?to=1.1");
            ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                    "document.querySelectorAll('input[name=csrf]').forEach(i => i.value = 'forged')");
            browser.clickAndConfirm("form[action='/upgrade/start'] button");
            assertThat(browser.driver.getPageSource()).contains("CSRF token");
            assertThat(Uplift.configure().home(console.home()).load().upgradeInProgress()).isFalse();
        }
    }

    @Test
    @Order(3)
    void theDemoUpgradeRunsInTheConsoleAndAReopenedBrowserSeesTheSameRunToItsEnd() throws Exception {
        List<String> before;
        try (Browser browser = new Browser(console.url())) {
            browser.signIn(ConsoleFixture.PASSWORD);
            browser.open("/plan?to=3.0");
            List<String> stops = browser.driver.findElements(By.cssSelector("#path .version")).stream().map(WebElement::getText).toList();
            assertThat(stops).containsExactly("1.0", "1.1", "2.1", "3.0");
            assertThat(browser.text("#path")).contains("required stop").contains("PostgreSQL 10");
            assertThat(browser.text("#check-summary")).contains("0 failed");
            browser.screenshot("plan-and-checks");
            browser.clickAndConfirm("form[action='/upgrade/start'] button");
            assertThat(browser.driver.getCurrentUrl()).endsWith("/upgrade");
            browser.await(Duration.ofMinutes(5), "the database move to start", () -> browser.text("#step").contains(MOVE));
            browser.await(Duration.ofSeconds(30), "a progress report of the move", () -> !browser.text("#done").isEmpty());
            browser.screenshot("upgrade-in-progress");
            before = logLines(browser);
            assertThat(before).isNotEmpty();
        } // the browser is closed in the middle of the move: the upgrade goes on in the console's process
        assertThat(Uplift.configure().home(console.home()).load().upgradeState().state()).isEqualTo("running");
        try (Browser browser = new Browser(console.url())) {
            browser.signIn(ConsoleFixture.PASSWORD);
            browser.open("/upgrade");
            List<String> reopened = logLines(browser);
            assertThat(reopened).as("the reopened page shows the same run's log from its start").startsWith(before.toArray(String[]::new));
            String outcome = browser.await(Duration.ofMinutes(8), "the upgrade to end", () -> {
                var found = browser.driver.findElements(By.id("outcome"));
                return found.isEmpty() ? null : found.get(0).getText();
            });
            assertThat(outcome).startsWith("Done: 3.0 is installed");
            List<String> all = logLines(browser);
            Set<String> unique = new HashSet<>(all);
            assertThat(unique).as("no line shown twice").hasSize(all.size());
            assertThat(all).as("no line lost").startsWith(before.toArray(String[]::new));
            assertThat(String.join("\n", all)).contains(MOVE);
            browser.screenshot("upgrade-done");
            browser.open("/journal");
            assertThat(browser.text("#journal-state")).isEqualTo("DONE");
            browser.screenshot("journal-and-log");
            browser.open("/");
            assertThat(browser.text("#installed-version")).isEqualTo("3.0");
        }
    }

    @Test
    @Order(4)
    void aDeprecatedTokenIsReissuedShownOnceAndRevokedAndTheTaxonomyTaskRunsFromItsPage() throws Exception {
        try (Browser browser = new Browser(console.url())) {
            browser.signIn(ConsoleFixture.PASSWORD);
            browser.open("/tokens");
            browser.screenshot("app-tokens");
            List<WebElement> deprecated = browser.driver.findElements(By.cssSelector("tr.deprecated-token"));
            assertThat(deprecated).as("v1 tokens are deprecated after 2.0\n" + browser.text("main")).isNotEmpty();
            assertThat(browser.driver.findElements(By.cssSelector("tr.deprecated-token .deprecated"))).as("the warning triangle").isNotEmpty();
            String row = deprecated.get(0).getAttribute("id");
            browser.clickAndConfirm("#" + row + " form[action='/tokens/reissue'] button");
            String token = browser.text("#new-token");
            assertThat(token).isNotBlank();
            browser.screenshot("app-token-reissued");
            browser.open("/tokens");
            assertThat(browser.driver.getPageSource()).as("a re-issued token is shown once only").doesNotContain(token);
            int before = browser.driver.findElements(By.cssSelector("#tokens tbody tr")).size();
            browser.clickAndConfirm("#" + row + " form[action='/tokens/revoke'] button");
            browser.open("/tokens");
            assertThat(browser.driver.findElements(By.cssSelector("#" + row))).as("the revoked token's row").isEmpty();
            assertThat(browser.driver.findElements(By.cssSelector("#tokens tbody tr")).size()).isLessThan(before);

            browser.open("/tasks");
            List<WebElement> run = browser.driver.findElements(By.cssSelector("#tasks form[action='/tasks/run'] button"));
            assertThat(run).as("the taxonomy update waits as an automatic task").isNotEmpty();
            browser.screenshot("tasks");
            int pending = Uplift.configure().home(console.home()).load().pendingTasks().size();
            browser.clickAndConfirm("#tasks form[action='/tasks/run'] button");
            browser.open("/tasks");
            assertThat(browser.driver.findElements(By.cssSelector("#task-outcomes tbody tr"))).isNotEmpty();
            assertThat(Uplift.configure().home(console.home()).load().pendingTasks()).hasSize(pending - 1);
        }
    }

    @Test
    @Order(5)
    void everyOtherPageRendersAndIsPictured() throws Exception {
        try (Browser browser = new Browser(console.url())) {
            browser.signIn(ConsoleFixture.PASSWORD);
            for (String[] page : new String[][] {{"/backups", "backups"}, {"/keys", "keys"}, {"/nodes", "nodes"}, {"/dr", "disaster-recovery"},
                    {"/db-move", "database-move"}, {"/db-import", "database-import"}, {"/maintenance", "maintenance"}, {"/support", "support"}}) {
                browser.open(page[0]);
                assertThat(browser.driver.findElement(By.tagName("h1")).getText()).as(page[0]).isNotBlank();
                assertThat(browser.driver.getPageSource()).as(page[0]).doesNotContain("Internal error").doesNotContain("Exception");
                browser.screenshot(page[1]);
            }
        }
    }

    /** The log lines on the upgrade page: each with its time, so a repeated line is a repeated event. */
    private static List<String> logLines(Browser browser) {
        // read in one script: the page's event stream appends lines while the test reads, and an element read
        // one by one can be replaced under it (StaleElementReference)
        Object lines = ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript(
                "return Array.from(document.querySelectorAll('#log li'), li => li.innerText.trim())");
        return ((List<?>) lines).stream().map(String::valueOf).toList();
    }
}
