package io.uplift.console.pages;

import io.uplift.api.CheckReport;
import io.uplift.api.CheckResult;
import io.uplift.api.CheckStatus;
import io.uplift.api.PlanResult;
import io.uplift.api.UpgradeTarget;
import io.uplift.api.UpliftException;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import io.uplift.console.View;
import java.util.List;

/**
 * The plan as a picture of the path through the required stops, the checks with their remedies, and
 * Start, which stays disabled while a check fails (the engine refuses then too: this only says it first).
 */
final class PlanPage implements Pages {
    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/plan", "Plan & checks", "/plan", (ctx, view) -> {
            var uplift = routes.uplift();
            List<String> versions = uplift.catalogVersions();
            String installed = uplift.status().installedVersion();
            String to = ctx.queryParam("to");
            if (to == null || to.isBlank()) {
                to = versions.isEmpty() ? installed : versions.get(versions.size() - 1);
            }
            StringBuilder b = new StringBuilder("<form method=\"get\" action=\"/plan\" class=\"inline\"><label>Target release <select name=\"to\" id=\"to\">");
            for (String v : versions) {
                b.append("<option").append(v.equals(to) ? " selected" : "").append('>').append(Html.text(v)).append("</option>");
            }
            b.append("</select></label> <button type=\"submit\" id=\"show-plan\">Show the plan</button></form>");
            PlanResult plan;
            try {
                plan = uplift.plan(new UpgradeTarget(to));
            } catch (UpliftException e) {
                return b + Html.notice("fail", Html.text(e.getMessage()));
            }
            b.append(picture(plan));
            if (plan.isEmpty()) {
                return b.append(Html.notice("ok", "The installation already runs " + Html.text(plan.installed()) + ": nothing to do.")).toString();
            }
            CheckReport report = uplift.check(new UpgradeTarget(to));
            b.append("<h2>Checks</h2>").append(checks(report));
            boolean busy = uplift.upgradeInProgress();
            b.append(view.form("/upgrade/start").hidden("to", to)
                    .confirm("Upgrade " + plan.product() + " from " + installed + " to " + to + "? A verified backup is taken first;"
                            + " the product is in maintenance mode while the upgrade needs it.")
                    .disabledWhen(report.overall() == CheckStatus.FAIL, "Start stays disabled while a check fails: do what its remedy says, then reload.")
                    .disabledWhen(busy, "An upgrade is already in progress: see the Upgrade page.")
                    .block().button("Start the upgrade to " + to));
            return b.toString();
        });
    }

    /** Installed version, then each hop's target as a box, arrows between; each hop lists its steps under it. */
    static String picture(PlanResult plan) {
        StringBuilder b = new StringBuilder("<ol class=\"path\" id=\"path\"><li class=\"stop installed\"><span class=\"version\">")
                .append(Html.text(plan.installed())).append("</span><span class=\"what\">installed</span></li>");
        for (int i = 0; i < plan.hops().size(); i++) {
            PlanResult.Hop hop = plan.hops().get(i);
            boolean last = i == plan.hops().size() - 1;
            b.append("<li class=\"stop").append(last ? " target" : " required").append("\"><span class=\"version\">").append(Html.text(hop.to()))
                    .append("</span><span class=\"what\">").append(last ? "target" : "required stop").append("</span>");
            hop.databaseMove().ifPresent(m -> b.append("<span class=\"move\">PostgreSQL ").append(m.fromMajor()).append(" &rarr; ")
                    .append(m.toMajor()).append("</span>"));
            b.append("<details><summary>").append(hop.steps().size()).append(" steps</summary><ol class=\"steps\">");
            hop.steps().forEach(s -> b.append("<li>").append(Html.text(s.title())).append("</li>"));
            b.append("</ol></details></li>");
        }
        return b.append("</ol><p class=\"hint\">In a cluster: ").append(Html.text(plan.clusterMode().name().toLowerCase().replace('_', '-')))
                .append(".</p>").toString();
    }

    static String checks(CheckReport report) {
        return "<p id=\"check-summary\">" + report.count(CheckStatus.PASS) + " passed, " + report.count(CheckStatus.WARN) + " warning(s), "
                + report.count(CheckStatus.FAIL) + " failed.</p>"
                + Html.table(List.of("", "Check", "Observed", "What to do"), report.results(), (CheckResult r) -> List.of(
                        Html.badge(r.status().name().toLowerCase(), r.status().name()), Html.text(r.title()), Html.text(r.observed()),
                        Html.text(r.remedy())));
    }

}
