package io.uplift.console;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Runs before every request: sets the security headers, then lets through only the sign-in page and
 * the assets without a session. Every POST must come from the console's own pages (Origin, when the
 * browser sends one, names this console) and carry the session's CSRF token; while another session
 * holds a running job, every change but signing out (and the holder's pause and cancel) is refused.
 */
final class Guard {
    static final String VIEW = "uplift.view";
    static final String COOKIE = "uplift-console";
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private static final Set<String> OPEN = Set.of("/login", "/favicon.ico");

    private final Sessions sessions;
    private final Runs runs;
    private final Assets assets;
    private final boolean tls;

    Guard(Sessions sessions, Runs runs, Assets assets, boolean tls) {
        this.sessions = sessions;
        this.runs = runs;
        this.assets = assets;
        this.tls = tls;
    }

    static String cookieName(boolean tls) {
        return tls ? "__Host-" + COOKIE : COOKIE; // __Host-: only over HTTPS, this host, path / (the browser enforces it)
    }

    void before(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin"); // the page a refused change came from is shown again; other sites learn nothing
        ctx.header("Cache-Control", "no-store"); // pages may show a token once; assets override it
        if (tls) {
            ctx.header("Strict-Transport-Security", "max-age=31536000");
        }
        String path = ctx.path();
        if (ctx.method() == HandlerType.POST) {
            requireSameOrigin(ctx);
        }
        if (path.startsWith("/assets/") || OPEN.contains(path)) {
            return;
        }
        Optional<ConsoleSession> session = sessions.find(ctx.cookie(cookieName(tls)));
        if (session.isEmpty()) {
            if (ctx.method() == HandlerType.GET && !path.equals("/events")) {
                throw new Refusal(303, "/login");
            }
            throw new Refusal(401, "You are not signed in (or your session ended): sign in again at /login.");
        }
        ConsoleSession s = session.get();
        Optional<String> readOnly = runs.readOnlyFor(s);
        if (ctx.method() == HandlerType.POST) {
            String sent = ctx.formParam("csrf");
            if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), s.csrf().getBytes(StandardCharsets.UTF_8))) {
                throw new Refusal(403, "This change did not come from a page of this console session (its CSRF token is missing or"
                        + " wrong): nothing was changed. Reload the page and try again.");
            }
            if (readOnly.isPresent() && !path.equals("/logout")) {
                throw new Refusal(409, "Read-only: " + readOnly.get() + " Nothing was changed.");
            }
        }
        ctx.attribute(VIEW, new View(s, readOnly, assets));
    }

    /** A POST whose Origin (or, without one, Referer) names another site is refused before anything else is read. */
    private static void requireSameOrigin(Context ctx) {
        String origin = Optional.ofNullable(ctx.header("Origin")).orElse(ctx.header("Referer"));
        if (origin == null || origin.equals("null")) {
            return; // an old client or a privacy setting: the CSRF token (and SameSite=Strict) still decides
        }
        try {
            URI u = URI.create(origin);
            String sent = u.getHost() + ":" + (u.getPort() < 0 ? ("https".equals(u.getScheme()) ? 443 : 80) : u.getPort());
            String host = ctx.host(); // the Host header: host[:port]
            String ours = host == null ? "" : host.contains(":") ? host : host + ":" + ("https".equals(ctx.scheme()) ? 443 : 80);
            if (!sent.equalsIgnoreCase(ours)) {
                throw new Refusal(403, "This change came from another site (" + origin + "), not from this console: nothing was changed.");
            }
        } catch (IllegalArgumentException e) {
            throw new Refusal(403, "This change came with an unreadable Origin header: nothing was changed.");
        }
    }
}
