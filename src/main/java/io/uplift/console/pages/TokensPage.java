package io.uplift.console.pages;

import io.uplift.api.AppToken;
import io.uplift.api.ReissuedToken;
import io.uplift.api.RevokedTokens;
import io.uplift.api.TokenList;
import io.uplift.api.TokenRevokeRequest;
import io.uplift.api.UpliftException;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import io.uplift.console.View;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The product's app tokens ('uplift tokens list'), the threat-manager document's Integrations page: a
 * token in a format the installed release deprecates carries the red warning triangle. Re-issue answers
 * with a page of its own that shows the new token this once (it exists nowhere else: the database keeps
 * its SHA-256 only); Revoke deletes a token. No other page, and no other part of this one, shows a token.
 */
final class TokensPage implements Pages {
    static final String TRIANGLE = "<span class=\"deprecated\" title=\"deprecated format\">&#9888;</span>";

    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/tokens", "App tokens", "/tokens", (ctx, view) -> body(routes, view));
        routes.actionPage("/tokens/reissue", "Re-issued app token", "/tokens", (ctx, view) -> reissue(routes, ctx.formParam("name")));
        routes.action("/tokens/revoke", (ctx, view) -> {
            String name = ctx.formParam("name");
            if (name == null || name.isBlank()) {
                routes.flash(view, "fail", "The field 'name' is empty: press Revoke on the row of the token to revoke.");
                return "/tokens";
            }
            String format = ctx.formParam("format");
            boolean evenIfLast = "on".equals(ctx.formParam("even-if-last"));
            try {
                RevokedTokens r = routes.uplift().revokeToken(new TokenRevokeRequest(name, Optional.ofNullable(format).filter(f -> !f.isBlank()),
                        evenIfLast));
                routes.flash(view, "ok", "Revoked " + r.revoked() + " token" + (r.revoked() == 1 ? "" : "s") + " named '" + r.name()
                        + "' (format " + String.join(", ", r.revokedFormats()) + "): an application still sending it is refused from now on. "
                        + (r.remainingFormats().isEmpty() ? "No token of that name is left."
                                : "Left: the " + String.join(", ", r.remainingFormats()) + " token of that name."));
            } catch (UpliftException e) {
                routes.flash(view, "fail", e.getMessage());
            }
            return "/tokens";
        });
    }

    private static String body(ConsoleRoutes routes, View view) {
        TokenList list;
        try {
            list = routes.uplift().tokens(false);
        } catch (UpliftException e) {
            return Html.notice("fail", Html.text(e.getMessage()));
        }
        StringBuilder b = new StringBuilder("<p>The app tokens of ").append(Html.text(list.product() + " " + list.installedVersion()))
                .append(" that applications use to call it. The product stores only their SHA-256, so no token can be shown here;"
                        + " a re-issued one is shown once, on the page that answers Re-issue.</p>");
        b.append("<p id=\"current-format\">").append(list.currentFormat() == null
                ? "No release up to the installed one introduces a token format, so there is nothing to re-issue in."
                : "New and re-issued tokens get format <strong>" + Html.text(list.currentFormat()) + "</strong>" + (list.deprecatedFormats().isEmpty()
                        ? "; no format is deprecated."
                        : "; " + TRIANGLE + " marks the deprecated format" + (list.deprecatedFormats().size() == 1 ? " " : "s ")
                                + Html.text(String.join(", ", list.deprecatedFormats())) + "."))
                .append("</p>");
        if (list.tokens().isEmpty()) {
            return b.append("<p id=\"no-tokens\">The product has no app token yet; tokens are created in the product itself.</p>").toString();
        }
        long deprecated = list.deprecatedCount();
        if (deprecated > 0) {
            b.append(Html.notice("warn", TRIANGLE + " " + deprecated + " token" + (deprecated == 1 ? " is" : "s are") + " in a deprecated format."
                    + " For each: Re-issue it, switch its application to the new token, then Revoke the old one."));
        }
        Map<String, Long> perName = list.tokens().stream().collect(Collectors.groupingBy(AppToken::name, Collectors.counting()));
        b.append("<table id=\"tokens\"><thead><tr><th>Name</th><th>Format</th><th>Created</th><th>Last used</th><th>Scope</th>"
                + "<th>Description</th><th></th></tr></thead><tbody>");
        for (AppToken t : list.tokens()) {
            boolean hasCurrent = list.tokens().stream().anyMatch(o -> o.name().equals(t.name()) && o.format().equals(list.currentFormat()));
            boolean last = perName.get(t.name()) == 1;
            b.append("<tr id=\"token-").append(Html.attr(t.name() + "-" + t.format())).append("\"").append(t.deprecated() ? " class=\"deprecated-token\"" : "")
                    .append("><td>").append(Html.text(t.name())).append("</td><td>").append(t.deprecated() ? TRIANGLE + " " : "")
                    .append(Html.text(t.format())).append("</td><td>").append(InstantText.time(t.createdAt(), "-")).append("</td><td>")
                    .append(InstantText.time(t.lastUsedAt(), "never")).append("</td><td>").append(Html.text(orDash(t.scope())))
                    .append("</td><td>").append(Html.text(orDash(t.description()))).append("</td><td>");
            if (t.deprecated()) {
                b.append(view.form("/tokens/reissue").hidden("name", t.name())
                        .confirm("Re-issue the app token '" + t.name() + "' in format " + list.currentFormat() + "? The new token is shown once,"
                                + " on the next page; the old one keeps working until you revoke it.")
                        .disabledWhen(list.currentFormat() == null, "No current format to re-issue in.")
                        .disabledWhen(hasCurrent, "Already re-issued: revoke the old token once its application uses the new one.")
                        .button("Re-issue"));
            }
            b.append(view.form("/tokens/revoke").hidden("name", t.name()).hidden("format", t.format())
                    .field(last ? "<label class=\"hint\" title=\"This is the only token of its name: without this, Revoke is refused, so that"
                            + " no application is cut off before it has a re-issued token.\"><input type=\"checkbox\" name=\"even-if-last\"> even if"
                            + " last</label> " : "")
                    .confirm("Revoke the " + t.format() + " token named '" + t.name() + "'? Applications still using it will be refused."
                            + (last ? " No token of that name will be left." : ""))
                    .button("Revoke"));
            b.append("</td></tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /** The one place a token is rendered: the answer to Re-issue, which nothing caches (no-store) and no later page repeats. */
    private static String reissue(ConsoleRoutes routes, String name) {
        String back = "<p><a href=\"/tokens\" id=\"back-to-tokens\">Back to the app tokens</a></p>";
        if (name == null || name.isBlank()) {
            return Html.notice("fail", "The field 'name' is empty: press Re-issue on the row of the token to re-issue.") + back;
        }
        ReissuedToken t;
        try {
            t = routes.uplift().reissueToken(name);
        } catch (UpliftException e) {
            return Html.notice("fail", "<span id=\"reissue-refused\">" + Html.text(e.getMessage()) + "</span>") + back;
        }
        StringBuilder b = new StringBuilder("<p>Re-issued <strong>").append(Html.text(t.name())).append("</strong> in format ")
                .append(Html.text(t.format())).append(" (scope ").append(Html.text(orDash(t.scope()))).append("; ")
                .append(Html.text(orDash(t.description()))).append("):</p>");
        b.append("<p><code class=\"token-once\" id=\"new-token\">").append(Html.text(t.token())).append("</code></p>");
        b.append(Html.notice("warn", "<strong>Store it now: it is shown this once and never again</strong> (only its SHA-256 is kept)."
                + " Leaving this page loses it; if it is lost before it is stored, revoke the new token and re-issue again."));
        if (!t.stillValid().isEmpty()) {
            b.append("<p id=\"old-token-fate\">The ").append(Html.text(String.join(" and ", t.stillValid()))).append(" token '")
                    .append(Html.text(t.name())).append("' keeps working until you revoke it: switch the application to the new token,"
                            + " then revoke the old one on the App tokens page.</p>");
        }
        return b.append(back).toString();
    }

    private static String orDash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
