package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.StatusResult;
import io.uplift.api.UpliftException;
import java.io.PrintWriter;

/** The deprecated-token lines of 'status' and of the summary after an upgrade. */
final class TokenLines {
    private TokenLines() {}

    static void status(StatusResult.Tokens t, PrintWriter out) {
        if (t == null) {
            return;
        }
        if (t.deprecated() < 0) {
            out.printf("App tokens     not counted: %s%n", t.error());
        } else if (t.deprecated() == 0) {
            out.printf("App tokens     none deprecated%n");
        } else {
            out.printf("App tokens     %d deprecated (format %s): '%s' lists them%n", t.deprecated(),
                    String.join(", ", t.deprecatedFormats()), t.command());
        }
    }

    /** Best effort: the upgrade is done, a failure to count must not turn it into an error. */
    static void afterUpgrade(Uplift uplift, PrintWriter out) {
        StatusResult.Tokens t;
        try {
            t = uplift.tokenSummary();
        } catch (UpliftException e) {
            return;
        }
        if (t != null && t.deprecated() > 0) {
            out.printf("%d app token%s %s in a deprecated format (%s): '%s' lists them;%n", t.deprecated(), t.deprecated() == 1 ? "" : "s",
                    t.deprecated() == 1 ? "is" : "are", String.join(", ", t.deprecatedFormats()), t.command());
            out.println("re-issue each with 'uplift tokens reissue NAME', switch its application over, then 'uplift tokens revoke NAME'.");
        }
        out.flush();
    }
}
