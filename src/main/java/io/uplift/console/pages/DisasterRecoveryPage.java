package io.uplift.console.pages;

import io.uplift.api.DrRefreshResult;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import java.nio.file.Path;
import java.util.Optional;

/**
 * 'uplift dr refresh' for the DR site this console serves: bring it to the primary's data and release,
 * from the primary's home (mounted here) or its database URL. Runs as a job; the checks of the refresh
 * refuse before anything is touched, and the refusal shows on the Upgrade page.
 */
final class DisasterRecoveryPage implements Pages {
    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/dr", "Disaster recovery", "/nodes", (ctx, view) -> "<p>When this installation is a disaster-recovery site, this"
                + " brings it to the primary's data and release: a verified backup of the primary (or a dump of its database), restored"
                + " here; the program files brought to the primary's release; never this site's config/ (node-local files and keyset"
                + " stay as they are: a DR site is installed with the primary's keyset).</p>"
                + Html.notice("warn", "Everything of the product in <strong>this</strong> site's database is replaced by the primary's.")
                + view.form("/dr/refresh").block()
                        .field("<label>Primary: its home folder on this machine, or its database as postgresql://USER@HOST:PORT/DATABASE"
                                + " (never with a password) <input name=\"from\" id=\"dr-from\" size=\"60\" required></label>")
                        .field("<label>Password file for a URL (mode 600, on this machine; else PGPASSWORD or ~/.pgpass of the console's"
                                + " user) <input name=\"passwordFile\" id=\"dr-password-file\" size=\"60\"></label>")
                        .confirm("Replace this site's data with the primary's?")
                        .button("Refresh this DR site"));
        routes.action("/dr/refresh", (ctx, view) -> {
            String from = ctx.formParam("from");
            if (from == null || from.isBlank()) {
                routes.flash(view, "fail", "Primary: give the primary's home folder or its database URL. Nothing was started.");
                return "/dr";
            }
            Optional<Path> passwordFile = FormPaths.optional("Password file", ctx.formParam("passwordFile"));
            routes.runs().start(view.session(), "the DR refresh from " + from.trim(), (uplift, l) -> {
                DrRefreshResult r = uplift.drRefresh(from.trim(), passwordFile, l.progress("Copying the primary"), l::line);
                return "The DR site now holds the data of " + r.primaryHome() + " at version " + r.version() + " (it ran "
                        + r.drVersionBefore() + "): " + r.rowsRestored() + " rows restored, took " + r.tookMillis() / 1000 + " s.";
            });
            return "/upgrade";
        });
    }
}
