package io.uplift.console.pages;

import io.uplift.api.JournalView;
import io.uplift.api.UpgradeLog;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import java.util.List;

/** The journal of the upgrade in progress (or the last one) step by step, and the whole upgrade log, a page at a time. */
final class JournalPage implements Pages {
    private static final int PAGE = 1000;

    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/journal", "Journal & log", "/journal", (ctx, view) -> {
            var uplift = routes.uplift();
            StringBuilder b = new StringBuilder();
            var journal = uplift.journal();
            if (journal.isEmpty()) {
                b.append("<p>No upgrade has run on this installation yet.</p>");
            } else {
                JournalView j = journal.get();
                b.append("<h2>").append(j.inProgress() ? "Upgrade in progress" : "Last upgrade").append(": ").append(Html.text(j.from()))
                        .append(" &rarr; ").append(Html.text(j.target())).append("</h2><dl class=\"facts\">")
                        .append(StatusPage.fact("Journal", j.id())).append(StatusPage.fact("State", j.state(), "journal-state"))
                        .append(StatusPage.fact("Started", j.startedAt())).append(StatusPage.fact("Updated", j.updatedAt()))
                        .append(StatusPage.fact("Backup", j.backupId() == null ? "" : j.backupId()))
                        .append(StatusPage.fact("Message", j.message() == null ? "" : j.message())).append("</dl>");
                b.append(Html.table(List.of("Step", "Hop", "Status", "Started", "Ended", "Took", "Error"), j.steps(), s -> List.of(
                        Html.text(s.id()), Html.text(s.hop()), Html.badge(s.status().toLowerCase(), s.status()), Html.text(s.startedAt()),
                        Html.text(s.endedAt()), s.millis() > 0 ? Html.text(s.millis() + " ms") : "", Html.text(s.error()))));
            }
            long from = parse(ctx.queryParam("from"));
            UpgradeLog log = uplift.upgradeLog(from, PAGE);
            b.append("<h2>Upgrade log</h2>");
            if (log.lines().isEmpty()) {
                b.append(from == 0 ? "<p>The log is empty.</p>" : "<p>No more lines.</p>");
            }
            b.append("<ol class=\"log\" id=\"full-log\">");
            log.lines().forEach(l -> b.append(UpgradePage.line(l.at(), l.text())));
            b.append("</ol>");
            if (log.lines().size() == PAGE) {
                b.append("<p><a href=\"/journal?from=").append(log.next()).append("\">Next ").append(PAGE).append(" lines</a></p>");
            }
            return b.toString();
        });
    }

    private static long parse(String s) {
        return s != null && s.matches("\\d{1,18}") ? Long.parseLong(s) : 0;
    }
}
