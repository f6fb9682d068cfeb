package io.uplift.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.Uplift;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's doors, over real HTTP against a real demo installation: no route without a session
 * (the event stream included), no change without the session's CSRF token or from another site, the
 * security headers, the hashed assets, the Argon2id hash, the lockout, and the refusals at start.
 */
class ConsoleSecurityIT {
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
    void everyRouteButSignInNeedsASession() {
        ConsoleClient anonymous = new ConsoleClient(console.url());
        for (String page : new String[] {"/", "/plan", "/upgrade", "/journal", "/support", "/support/bundle.zip"}) {
            HttpResponse<String> r = anonymous.get(page);
            assertThat(r.statusCode()).as(page).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).as(page).contains("/login");
        }
        assertThat(anonymous.get("/events").statusCode()).as("the event stream").isEqualTo(401);
        HttpResponse<String> change = anonymous.postRaw("/upgrade/start", Map.of("to", "1.1", "csrf", "0"));
        assertThat(change.statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/login").statusCode()).isEqualTo(200);
        assertThat(Uplift.configure().home(console.home()).load().upgradeInProgress()).isFalse();
    }

    @Test
    void aChangeWithoutTheSessionsCsrfTokenOrFromAnotherSiteIsRefusedAndChangesNothing() {
        ConsoleClient admin = console.signedIn();
        HttpResponse<String> noToken = admin.postRaw("/upgrade/start", Map.of("to", "1.1"));
        assertThat(noToken.statusCode()).isEqualTo(403);
        assertThat(noToken.body()).contains("CSRF token").contains("nothing was changed");
        HttpResponse<String> wrongToken = admin.postRaw("/upgrade/start", Map.of("to", "1.1", "csrf", "ab".repeat(32)));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        HttpResponse<String> otherSite = admin.postRaw("/upgrade/start", Map.of("to", "1.1", "csrf", admin.csrf()), "https://evil.example");
        assertThat(otherSite.statusCode()).isEqualTo(403);
        assertThat(otherSite.body()).contains("another site");
        assertThat(Uplift.configure().home(console.home()).load().upgradeInProgress()).isFalse();
        assertThat(Uplift.configure().home(console.home()).load().status().installedVersion()).isEqualTo("1.0");
    }

    @Test
    void pagesCarryTheSecurityHeadersAndAssetsTheirContentHash() throws Exception {
        ConsoleClient admin = console.signedIn();
        HttpResponse<String> page = admin.get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"installed-version\">1.0<");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("frame-ancestors 'none'")
                .contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        var css = Pattern.compile("href=\"(/assets/console-([0-9a-f]{12})\\.css)\"").matcher(page.body());
        assertThat(css.find()).as(page.body()).isTrue();
        HttpResponse<byte[]> asset = admin.getBytes(css.group(1));
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Cache-Control").orElse("")).contains("immutable");
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(asset.body()));
        assertThat(sha).startsWith(css.group(2));
        assertThat(admin.getBytes("/assets/console-000000000000.css").statusCode()).isEqualTo(404);
        String stored = Files.readString(AdminPassword.file(console.home()));
        assertThat(stored).contains("argon2id").doesNotContain(ConsoleFixture.PASSWORD);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(AdminPassword.file(console.home())))).isEqualTo("rw-------");
    }

    @Test
    void signInLocksAfterFiveWrongPasswordsAndRefusesEvenTheRightOneThen() throws Exception {
        try (ConsoleFixture second = ConsoleFixture.on(console.home())) { // its own lockout count
            ConsoleClient guesser = new ConsoleClient(second.url());
            for (int i = 1; i <= LoginThrottle.ALLOWED; i++) {
                HttpResponse<String> r = guesser.signIn("wrong-password-" + i);
                assertThat(r.statusCode()).as("attempt " + i).isEqualTo(401);
            }
            HttpResponse<String> locked = new ConsoleClient(second.url()).signIn(ConsoleFixture.PASSWORD);
            assertThat(locked.statusCode()).isEqualTo(429);
            assertThat(locked.body()).contains("locked");
        }
    }

    @Test
    void aPortInUseOrANonLoopbackAddressWithoutTlsIsRefusedBeforeAnythingStarts() throws Exception {
        StringWriter out = new StringWriter();
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            ConsoleSettings busy = new ConsoleSettings(console.home(), "127.0.0.1", taken.getLocalPort(), Optional.empty(), Optional.empty(),
                    Optional.empty());
            assertThatThrownBy(() -> ConsoleServer.start(busy, () -> Uplift.configure().home(console.home()).load(), Optional::empty,
                    new PrintWriter(out)))
                    .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                    .hasMessageContaining("Port " + taken.getLocalPort()).hasMessageContaining("--port");
        }
        ConsoleSettings open = new ConsoleSettings(console.home(), "0.0.0.0", 0, Optional.empty(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> ConsoleServer.start(open, () -> Uplift.configure().home(console.home()).load(), Optional::empty,
                new PrintWriter(out)))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageContaining("--bind 0.0.0.0").hasMessageContaining("--tls-keystore");
    }

    @Test
    void withACertificateItServesHttpsWithSecureHostOnlyCookies() throws Exception {
        Path dir = console.home().getParent().resolve("tls");
        Files.createDirectories(dir);
        Path keystore = dir.resolve("console.p12");
        String storePassword = "keystore-pass-1";
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias",
                "console", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", storePassword, "-keypass", storePassword)
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        Path passwordFile = ConsoleFixture.passwordFile(dir, storePassword);
        ConsoleSettings tls = new ConsoleSettings(console.home(), "127.0.0.1", 0, Optional.of(keystore), Optional.of(passwordFile), Optional.empty());
        try (ConsoleServer server = ConsoleServer.start(tls, () -> Uplift.configure().home(console.home()).load(), Optional::empty,
                new PrintWriter(new StringWriter()))) {
            assertThat(server.url()).startsWith("https://127.0.0.1:");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keystore)) {
                trust.load(in, storePassword.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            ConsoleClient admin = new ConsoleClient(server.url(), context);
            HttpResponse<String> signIn = admin.signIn(ConsoleFixture.PASSWORD);
            assertThat(signIn.statusCode()).isEqualTo(303);
            assertThat(signIn.headers().firstValue("Set-Cookie").orElse("")).startsWith("__Host-uplift-console=").contains("Secure")
                    .contains("HttpOnly").containsIgnoringCase("SameSite=Strict");
            HttpResponse<String> page = admin.get("/");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Strict-Transport-Security")).isPresent();
        }
    }
}
