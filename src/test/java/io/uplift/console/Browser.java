package io.uplift.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Supplier;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven by its chromium-driver (no download: Selenium Manager is not
 * asked). As root, Chromium needs --no-sandbox. Screenshots go to target/console-screenshots/ (the
 * README's pictures in docs/console/ are copied from there).
 */
final class Browser implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    final WebDriver driver;
    private final String base;

    Browser(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort().build();
        this.driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver"));
    }

    void open(String path) {
        driver.get(base + path);
    }

    void signIn(String password) {
        open("/login");
        driver.findElement(By.id("password")).sendKeys(password);
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(By.id("sign-in")).click();
        awaitNextPage(page);
    }

    /**
     * Waits until the page {@code before} belongs to has been replaced by the answer to a form and that has
     * loaded: a click on a submit button returns before the browser navigates, and a test that goes on at once
     * reads the old page, or has its next navigation overtaken by the form's redirect.
     */
    private void awaitNextPage(WebElement before) {
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> replaced(before));
        // a script run while the new page replaces the old can fail ("execution context was destroyed"): ask again
        new WebDriverWait(driver, Duration.ofSeconds(30)).ignoring(org.openqa.selenium.JavascriptException.class).until(
                d -> "complete".equals(((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState")));
    }

    /**
     * Whether the page {@code element} belongs to is gone. Asked while the browser swaps the pages,
     * chromedriver sometimes answers not "stale element" but an unknown error, "Node with given id
     * does not belong to the document" (the CI run of 2026-12-07 19:12 failed on it in signIn): the
     * same fact in other words.
     */
    private static boolean replaced(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    /** The element, or a failure that shows the page it was looked for on (its address and text). */
    WebElement find(String css) {
        try {
            return driver.findElement(By.cssSelector(css));
        } catch (org.openqa.selenium.NoSuchElementException e) {
            String body;
            try {
                body = driver.findElement(By.tagName("body")).getText();
            } catch (RuntimeException unreadable) {
                body = "(unreadable: " + unreadable.getMessage() + ")";
            }
            throw new AssertionError("no " + css + " on " + driver.getCurrentUrl() + ", which shows:\n" + body, e);
        }
    }

    String text(String css) {
        return find(css).getText();
    }

    /** Clicks a submit button and accepts the confirmation question the page asks. */
    void clickAndConfirm(String css) {
        WebElement page = driver.findElement(By.tagName("html"));
        find(css).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> {
            try {
                d.switchTo().alert().accept();
                return true;
            } catch (org.openqa.selenium.NoAlertPresentException e) {
                return false;
            }
        });
        awaitNextPage(page);
    }

    <T> T await(Duration timeout, String what, Supplier<T> condition) {
        return new WebDriverWait(driver, timeout).withMessage(what).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class).until(d -> {
                    T v = condition.get();
                    return v instanceof Boolean b ? (b ? v : null) : v;
                });
    }

    /** A full-page screenshot as NAME.png (the page's own height, so nothing is cut). */
    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Object height = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return document.body.scrollHeight");
        int h = Math.min(3000, Math.max(700, ((Number) height).intValue() + 40));
        driver.manage().window().setSize(new Dimension(1280, h));
        Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        driver.manage().window().setSize(new Dimension(1280, 1000));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
