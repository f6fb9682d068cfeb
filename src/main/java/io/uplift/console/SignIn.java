package io.uplift.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The sign-in page, the sign-in itself (with the lockout) and signing out. */
final class SignIn {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final AdminPassword password;
    private final Sessions sessions;
    private final LoginThrottle throttle;
    private final Assets assets;
    private final boolean tls;

    SignIn(AdminPassword password, Sessions sessions, LoginThrottle throttle, Assets assets, boolean tls) {
        this.password = password;
        this.sessions = sessions;
        this.throttle = throttle;
        this.assets = assets;
        this.tls = tls;
    }

    void register(RoutesConfig routes) {
        routes.get("/login", ctx -> ctx.html(page("")));
        routes.post("/login", this::signIn);
        routes.post("/logout", ctx -> {
            sessions.close(ctx.cookie(Guard.cookieName(tls)));
            ctx.cookie(cookie("", 0));
            ctx.redirect("/login", HttpStatus.SEE_OTHER);
        });
    }

    private void signIn(Context ctx) {
        var locked = throttle.lockedUntil();
        if (locked.isPresent()) {
            ctx.status(429).html(page("Sign-in is locked after " + LoginThrottle.ALLOWED + " failed attempts, until "
                    + CLOCK.format(locked.get()) + " UTC. Wait until then; no password is tried meanwhile, the right one neither."));
            return;
        }
        String given = ctx.formParam("password");
        if (given == null || !password.matches(given.toCharArray())) {
            throttle.failed();
            String more = throttle.lockedUntil().map(t -> " Sign-in is now locked until " + CLOCK.format(t) + " UTC.")
                    .orElse(" " + (LoginThrottle.ALLOWED - throttle.failuresInARow()) + " more attempt(s) before sign-in locks for "
                            + LoginThrottle.LOCK.toMinutes() + " minutes.");
            ctx.status(401).html(page("Wrong password." + more));
            return;
        }
        throttle.succeeded();
        ConsoleSession s = sessions.open(ctx.ip(), ctx.header("User-Agent"));
        ctx.cookie(cookie(s.token(), -1));
        ctx.redirect("/", HttpStatus.SEE_OTHER);
    }

    /** HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it), Secure under TLS. */
    private Cookie cookie(String value, int maxAge) {
        Cookie c = new Cookie(Guard.cookieName(tls), value);
        c.setPath("/");
        c.setHttpOnly(true);
        c.setSecure(tls);
        c.setSameSite(SameSite.STRICT);
        c.setMaxAge(maxAge);
        return c;
    }

    private String page(String error) {
        return Layout.frame("Sign in", assets, "<main class=\"signin\"><h1>Uplift console</h1>"
                + (error.isEmpty() ? "" : Html.notice("fail", Html.text(error)))
                + "<form method=\"post\" action=\"/login\" class=\"block\"><label>Admin password <input type=\"password\" name=\"password\""
                + " id=\"password\" autocomplete=\"current-password\" autofocus required></label>"
                + "<button type=\"submit\" id=\"sign-in\">Sign in</button></form>"
                + "<p class=\"hint\">The password was set when the console first started (--admin-password-file).</p></main>");
    }
}
