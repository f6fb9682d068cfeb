package io.uplift.console.pages;

import io.uplift.Uplift;
import io.uplift.api.MaintenanceState;
import io.uplift.api.UpliftException;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import io.uplift.console.View;
import java.util.Optional;

/**
 * Maintenance mode by hand, as 'uplift maintenance on|off' does it: the product's users keep reading
 * and every change is refused by the database itself. Refused while an upgrade is unfinished (it owns
 * maintenance mode until its resume or rollback) or another Uplift command holds the home.
 */
final class MaintenancePage implements Pages {
    /** A reason is one line shown to whoever asks; longer text belongs in the runbook. */
    static final int MAX_REASON = 200;

    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/maintenance", "Maintenance mode", "/maintenance", (ctx, view) -> body(routes.uplift().maintenance(), view));
        routes.action("/maintenance/on", (ctx, view) -> {
            String reason = Optional.ofNullable(ctx.formParam("reason")).orElse("").strip();
            if (reason.length() > MAX_REASON) {
                routes.flash(view, "fail", "Reason: " + reason.length() + " characters, at most " + MAX_REASON + " allowed. Say it in one"
                        + " line; nothing was changed.");
                return "/maintenance";
            }
            change(routes, view, true, reason.isEmpty() ? null : reason);
            return "/maintenance";
        });
        routes.action("/maintenance/off", (ctx, view) -> {
            change(routes, view, false, null);
            return "/maintenance";
        });
    }

    private static void change(ConsoleRoutes routes, View view, boolean on, String reason) {
        try {
            Uplift uplift = routes.uplift();
            // As the command line does before it asks: refuses at once while an upgrade or another command holds the home.
            uplift.checkChange("uplift maintenance " + (on ? "on" : "off"));
            MaintenanceState state = uplift.maintenance(on, reason);
            routes.flash(view, "ok", state.on()
                    ? "Maintenance mode is on: users can read but not change anything." + (state.sessionsEnded() > 0
                            ? " " + state.sessionsEnded() + (state.sessionsEnded() == 1 ? " session" : " sessions")
                                    + " of the product ended (they reconnect read-only)." : "")
                    : "Maintenance mode is off: the product reads and writes again.");
        } catch (UpliftException e) {
            routes.flash(view, "fail", e.getMessage());
        }
    }

    static String body(MaintenanceState state, View view) {
        StringBuilder b = new StringBuilder("<p>In maintenance mode the product's users keep reading, and every change is refused by the"
                + " database itself. Upgrades turn it on and off on their own; this switch is for work outside an upgrade.</p>");
        b.append("<dl class=\"facts\"><dt>Maintenance mode</dt><dd id=\"maintenance-state\">")
                .append(Html.badge(state.on() ? "warn" : "ok", state.on() ? "on" : "off")).append("</dd>");
        if (state.on()) {
            b.append("<dt>Since</dt><dd id=\"maintenance-since\">").append(Html.text(state.since() == null ? "unknown" : state.since()))
                    .append("</dd><dt>Reason</dt><dd id=\"maintenance-reason\">").append(Html.text(state.reason())).append("</dd>");
        }
        b.append("</dl>");
        if (state.on()) {
            b.append(view.form("/maintenance/off").confirm("Turn maintenance mode off? The product can change its data again.")
                    .block().button("Turn maintenance mode off"));
        } else {
            b.append(view.form("/maintenance/on")
                    .field("<label>Reason, shown to whoever asks <input type=\"text\" name=\"reason\" id=\"reason\" maxlength=\""
                            + MAX_REASON + "\" placeholder=\"turned on by an operator\"></label>")
                    .confirm("Turn maintenance mode on? Users can read but not change anything: the product's open sessions end and"
                            + " reconnect read-only, until maintenance mode is turned off.")
                    .block().button("Turn maintenance mode on"));
        }
        return b.toString();
    }
}
