package io.uplift.console.pages;

import io.uplift.api.UpgradeTarget;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import java.util.Optional;

/** The support bundle: status, journal, log, checks and plan in one zip, for a support request; never a secret. */
final class SupportPage implements Pages {
    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/support", "Support", "/support", (ctx, view) -> {
            var versions = routes.uplift().catalogVersions();
            String newest = versions.isEmpty() ? "" : versions.get(versions.size() - 1);
            return "<p>The support bundle holds the installation's status, the upgrade journal and its history, the upgrade log, and the"
                    + " plan and checks towards the release you choose. It never holds a password, a key, a token or anything from"
                    + " config/; its README.txt lists what was left out.</p><form method=\"get\" action=\"/support/bundle.zip\" class=\"block\">"
                    + "<label>Plan and checks towards <input name=\"to\" value=\"" + Html.attr(newest) + "\"></label>"
                    + "<button type=\"submit\" id=\"download-bundle\">Download the support bundle</button></form>";
        });
        routes.download("/support/bundle.zip", "application/zip", "uplift-support-bundle.zip", (ctx, out) -> {
            String to = ctx.queryParam("to");
            Optional<UpgradeTarget> target = to == null || to.isBlank() ? Optional.empty() : Optional.of(new UpgradeTarget(to));
            routes.uplift().writeSupportBundle(target, out);
        });
    }
}
