package io.lockbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The status page and its content-hashed assets over real HTTP: a JDK HttpServer on 127.0.0.1 routes
 * as 'lockbox serve' does (the page first, then the API, which here answers every other path 404, as
 * its database is not needed for the page).
 */
class WebPagesTest {
    private static final Pattern STYLESHEET = Pattern.compile("<link rel=\"stylesheet\" href=\"(/assets/lockbox-([0-9a-f]{12})\\.css)\">");
    private static final Pattern SCRIPT = Pattern.compile("<script src=\"(/assets/lockbox-([0-9a-f]{12})\\.js)\" defer></script>");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void thePageNamesItsAssetsByTheirContentHashAndTheyAreServedImmutable() throws Exception {
        URI base = start("2.1", new StatusPage.Status("2.1", "node-a", false, 42L));

        HttpResponse<byte[]> page = get(base, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'self'; frame-ancestors 'none'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(html).contains("<dd id=\"version\">2.1</dd>", "<dd id=\"node\">node-a</dd>", ">serving</dd>", "<dd id=\"secrets\">42</dd>");

        for (Matcher m : List.of(matcher(STYLESHEET, html), matcher(SCRIPT, html))) {
            HttpResponse<byte[]> asset = get(base, m.group(1));
            assertThat(asset.statusCode()).as(m.group(1)).isEqualTo(200);
            assertThat(asset.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
            assertThat(asset.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(HashedAssets.sha256Hex(asset.body())).as("the SHA-256 of " + m.group(1)).startsWith(m.group(2));
        }
        assertThat(get(base, matcher(STYLESHEET, html).group(1)).headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get(base, matcher(SCRIPT, html).group(1)).headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    }

    @Test
    void unknownAssetNamesAre404AndOtherPathsAreLeftToTheApi() throws Exception {
        URI base = start("3.0", new StatusPage.Status("3.0", "node-a", false, 0L));
        for (String path : List.of("/assets/lockbox-000000000000.css", "/assets/lockbox.css", "/assets/", "/assets/../io/lockbox/web/lockbox.css")) {
            HttpResponse<byte[]> answer = get(base, path);
            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
        }
        HttpResponse<byte[]> health = get(base, "/health");
        assertThat(health.statusCode()).isEqualTo(404);
        assertThat(new String(health.body(), StandardCharsets.UTF_8)).contains("the API's");

        HttpResponse<byte[]> post = client.send(HttpRequest.newBuilder(base.resolve("/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void anUpgradeRenamesTheStylesheetAndTheOldNameIsNotServed() throws Exception {
        URI before = start("2.1", new StatusPage.Status("2.1", "node-a", false, 7L));
        URI after = start("3.0", new StatusPage.Status("3.0", "node-a", false, 7L));
        String oldHtml = new String(get(before, "/").body(), StandardCharsets.UTF_8);
        String newHtml = new String(get(after, "/").body(), StandardCharsets.UTF_8);

        String oldStylesheet = matcher(STYLESHEET, oldHtml).group(1);
        String newStylesheet = matcher(STYLESHEET, newHtml).group(1);
        assertThat(newStylesheet).isNotEqualTo(oldStylesheet);
        assertThat(get(after, oldStylesheet).statusCode()).isEqualTo(404);
        assertThat(get(after, newStylesheet).statusCode()).isEqualTo(200);
        // The script is the same file in both releases: the same name, so a browser's copy stays right.
        assertThat(matcher(SCRIPT, newHtml).group(1)).isEqualTo(matcher(SCRIPT, oldHtml).group(1));
    }

    @Test
    void everyReleaseOfTheCatalogHasItsOwnStylesheetName() {
        List<String> releases = List.of("1.0", "1.1", "2.0", "2.1", "2.2", "3.0");
        List<String> names = releases.stream().map(v -> HashedAssets.forRelease(v).stylesheet()).toList();
        assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("/assets/lockbox-[0-9a-f]{12}\\.css"));
        assertThat(HashedAssets.releaseStyle("1.1")).contains("--accent: #2b6cb0");
        assertThat(HashedAssets.releaseStyle("3.0")).contains("--accent: #6b46c1");
    }

    @Test
    void theStateIsReadOnlyInMaintenanceAndTheNodeNameIsEscaped() throws Exception {
        URI base = start("2.2", new StatusPage.Status("2.2", "<b>\"x\"&", true, null));
        String html = new String(get(base, "/").body(), StandardCharsets.UTF_8);
        assertThat(html).contains("class=\"state-read-only\">" + StatusPage.READ_ONLY + "</dd>")
                .contains("&lt;b&gt;&quot;x&quot;&amp;")
                .doesNotContain("<b>")
                .contains("unknown (the database did not answer)");
    }

    private URI start(String version, StatusPage.Status status) throws IOException {
        WebPages pages = new WebPages(HashedAssets.forRelease(version), () -> status);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/", exchange -> {
            Exchange x = new Exchange(exchange);
            try {
                if (!pages.handle(x)) {
                    x.send(404, Map.of("error", "the API's: " + x.path()));
                }
            } finally {
                exchange.close();
            }
        });
        http.start();
        servers.add(http);
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    private HttpResponse<byte[]> get(URI base, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Matcher matcher(Pattern pattern, String html) {
        Matcher m = pattern.matcher(html);
        assertThat(m.find()).as("the page names an asset matching " + pattern + ":\n" + html).isTrue();
        return m;
    }
}
