package io.uplift.console.pages;

import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Runs;
import java.util.Optional;

/**
 * The console's current or last job, shown on the page that started it when it is of that page's kind
 * (a backup on Backups, a key rotation on Keys): while it runs, a pointer to the Upgrade page, which
 * streams its lines; once it ended, how it ended, so the operator coming back to the page sees it in place.
 */
final class ConsoleJobNotice {
    private ConsoleJobNotice() {}

    /** The notice for the console's job whose kind starts with one of {@code kindPrefixes}, or "" when the last job was another. */
    static String of(ConsoleRoutes routes, String... kindPrefixes) {
        Optional<Runs.Run> run = routes.runs().current().filter(r -> matches(r.kind(), kindPrefixes));
        if (run.isEmpty()) {
            return "";
        }
        Runs.Run r = run.get();
        if (r.active()) {
            return Html.notice("info", "<span id=\"job-running\">This console runs " + Html.text(r.kind()) + " for "
                    + Html.text(r.holder().describe()) + ".</span> <a href=\"/upgrade\">Follow its progress</a>; this page shows how it ended"
                    + " once it has.");
        }
        return Html.notice(r.failed() ? "fail" : "ok", "<span id=\"job-outcome\" data-failed=\"" + r.failed() + "\">"
                + Html.text(capitalised(r.kind()) + (r.failed() ? " failed: " : ": ") + r.outcome()) + "</span>");
    }

    /** Whether this console runs a job now (any kind): a second one would be refused, so the page says so before. */
    static boolean busy(ConsoleRoutes routes) {
        return routes.runs().active().isPresent();
    }

    private static boolean matches(String kind, String... prefixes) {
        for (String p : prefixes) {
            if (kind.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
