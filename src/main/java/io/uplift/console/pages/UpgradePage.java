package io.uplift.console.pages;

import io.uplift.Uplift;
import io.uplift.api.JournalView;
import io.uplift.api.LogLine;
import io.uplift.api.StatusResult;
import io.uplift.api.UpgradeLog;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeTarget;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import io.uplift.console.RunListener;
import io.uplift.console.Runs;
import io.uplift.console.View;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The upgrade as it runs: the step, its bar, rate and ETA, and the log, pushed by /events whether this
 * console runs it or 'uplift upgrade' does in a terminal; Pause and Cancel for the session holding it;
 * Resume and Rollback for an interrupted one. The upgrade runs in the console's process: closing the
 * page changes nothing, and reopening it shows the same lines again from the log, then the new ones.
 */
final class UpgradePage implements Pages {
    static final int SHOWN_LINES = 2000;

    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/upgrade", "Upgrade", "/upgrade", (ctx, view) -> body(routes, view));
        routes.action("/upgrade/start", (ctx, view) -> {
            UpgradeTarget target = new UpgradeTarget(ctx.formParam("to"));
            start(routes, view, "the upgrade to " + target, (uplift, l) -> {
                UpgradeResult r = uplift.upgrade(target, l);
                return cancelIfAsked(routes, r, l);
            });
            return "/upgrade";
        });
        routes.action("/upgrade/resume", (ctx, view) -> {
            start(routes, view, "resume", (uplift, l) -> cancelIfAsked(routes, uplift.resume(l), l));
            return "/upgrade";
        });
        routes.action("/upgrade/rollback", (ctx, view) -> {
            start(routes, view, "rollback", (uplift, l) -> describe(uplift.rollback(l)));
            return "/upgrade";
        });
        routes.action("/upgrade/pause", (ctx, view) -> {
            routes.runs().pause();
            routes.flash(view, "ok", "Pause asked: the running step finishes, then the upgrade stops. Resume it here or with 'uplift resume'.");
            return "/upgrade";
        });
        routes.action("/upgrade/cancel", (ctx, view) -> {
            routes.runs().cancel();
            routes.flash(view, "ok", "Cancel asked: the running step finishes, then every step done is undone (rollback). If a rollback is"
                    + " no longer safe, the upgrade stays paused and this page says why.");
            return "/upgrade";
        });
    }

    private static void start(ConsoleRoutes routes, View view, String kind, io.uplift.console.Job job) {
        routes.runs().startUpgrade(view.session(), kind, job);
    }

    /** After a pause asked by Cancel, the rollback: refused (and said why) when undoing is no longer safe. */
    private static String cancelIfAsked(ConsoleRoutes routes, UpgradeResult r, RunListener l) {
        if (r.outcome() != UpgradeResult.Outcome.PAUSED || !routes.runs().cancelRequested()) {
            return describe(r);
        }
        l.line("Cancelling: rolling back every step done.");
        try {
            return "Cancelled: " + describe(routes.uplift().rollback(l));
        } catch (io.uplift.api.UpliftException e) {
            return "Not cancelled, the upgrade is paused: " + e.getMessage();
        }
    }

    static String describe(UpgradeResult r) {
        return switch (r.outcome()) {
            case DONE -> "Done: " + r.installed() + " is installed.";
            case NOTHING_TO_DO -> "Nothing to do: " + r.installed() + " is installed.";
            case PAUSED -> "Paused after a step: resume it here or with 'uplift resume'.";
            case ROLLED_BACK -> "Rolled back: " + r.installed() + " is installed, as before the upgrade.";
            case NOTHING_IN_PROGRESS -> r.message();
        } + (r.pendingTasks().isEmpty() ? "" : " " + r.pendingTasks().size() + " task(s) wait on the Tasks page.");
    }

    private static String body(ConsoleRoutes routes, View view) {
        Uplift uplift = routes.uplift();
        StatusResult.Upgrade state = uplift.upgradeState();
        Optional<Runs.Run> run = routes.runs().current();
        Optional<JournalView> journal = uplift.journal();
        List<LogLine> lines = new ArrayList<>();
        long cursor = runLines(uplift, journal, lines);
        StringBuilder b = new StringBuilder(banner(state));
        b.append("<section id=\"live\" data-events=\"1\" data-cursor=\"").append(cursor).append("\" data-job=\"")
                .append(run.map(r -> r.listener().linesAfter(0).size()).orElse(0)).append("\" data-run=\"").append(run.map(Runs.Run::id).orElse(0L))
                .append("\" data-key=\"").append(Html.attr(io.uplift.console.Runs.key(state.state(), routes.runs()))).append("\">");
        b.append("<p>Step: <strong id=\"step\">").append(Html.text(state.progress() == null ? "" : state.progress().title()))
                .append("</strong> <span id=\"phase\">").append(Html.text(state.progress() == null ? "" : state.progress().phase()))
                .append("</span></p><p><progress id=\"bar\" max=\"1\" value=\"0\"></progress> <span id=\"done\"></span>")
                .append(" <span id=\"rate\"></span> <span id=\"eta\"></span></p>");
        run.ifPresent(r -> b.append(job(r, view)));
        b.append(buttons(routes, view, state, run));
        b.append("<h2>Log</h2><ol id=\"log\" class=\"log\">");
        lines.forEach(l -> b.append(line(l.at(), l.text())));
        b.append("</ol></section>");
        return b.toString();
    }

    private static String job(Runs.Run r, View view) {
        StringBuilder b = new StringBuilder("<div class=\"job\" id=\"job\"><p>This console ")
                .append(r.active() ? "runs " : "ran ").append(Html.text(r.kind())).append(" for ").append(Html.text(r.holder().describe()))
                .append(r.holder().token().equals(view.session().token()) ? " (you)" : "").append(".</p>");
        if (!r.active()) {
            b.append(Html.notice(r.failed() ? "fail" : "ok", "<span id=\"outcome\">" + Html.text(r.outcome()) + "</span>"));
        }
        if (!r.inUpgradeLog()) { // an upgrade's lines are in the log below; other jobs have only these
            b.append("<ol id=\"job-log\" class=\"log\">");
            r.listener().linesAfter(0).forEach(l -> b.append(line(l.at(), l.text())));
            b.append("</ol>");
        }
        return b.append("</div>").toString();
    }

    private static String buttons(ConsoleRoutes routes, View view, StatusResult.Upgrade state, Optional<Runs.Run> run) {
        boolean ours = run.filter(Runs.Run::active).isPresent();
        StringBuilder b = new StringBuilder("<div class=\"actions\">");
        if (ours) {
            b.append(view.form("/upgrade/pause").button("Pause after this step"));
            b.append(view.form("/upgrade/cancel").confirm("Cancel the upgrade? The running step finishes, then every step done is undone"
                    + " and the backup restored where needed.").button("Cancel (roll back)"));
        } else if ("running".equals(state.state())) {
            b.append(Html.notice("info", "Started outside this console (" + Html.text(state.detail()) + "). It shows here as it runs;"
                    + " pause it where it runs (Ctrl-C in its terminal pauses after the current step)."));
        } else if ("interrupted".equals(state.state())) {
            b.append(view.form("/upgrade/resume").confirm("Resume the interrupted upgrade from where it stopped?").button("Resume"));
            b.append(view.form("/upgrade/rollback").confirm("Roll the interrupted upgrade back to the state before it?").button("Rollback"));
        } else {
            b.append("<p>No upgrade is in progress. <a href=\"/plan\">Plan &amp; checks</a> starts one.</p>");
        }
        return b.append("</div>").toString();
    }

    /** One log line: the time of day shown, the whole instant in the datetime attribute. */
    static String line(String at, String text) {
        String shown = at != null && at.length() >= 19 ? at.substring(11, Math.min(at.length(), 23)).replace("Z", "") : at;
        return "<li><time datetime=\"" + Html.attr(at) + "\">" + Html.text(shown) + "</time> " + Html.text(text) + "</li>";
    }

    /** Shown on the status and upgrade pages: what the upgrade's state is and what to do. */
    static String banner(StatusResult.Upgrade state) {
        return switch (state.state()) {
            case "running" -> Html.notice("info", "<strong>An upgrade is running</strong>: " + Html.text(state.detail())
                    + ". <a href=\"/upgrade\">Follow it</a>.");
            case "interrupted" -> Html.notice("warn", "<strong>An upgrade was interrupted</strong>: " + Html.text(state.detail())
                    + ". <a href=\"/upgrade\">Resume or roll back</a>.");
            default -> "";
        };
    }

    /**
     * The log lines of the run in progress, at most the last {@link #SHOWN_LINES}; returns the cursor after
     * the last line read, from which the page's event stream goes on. The run starts at its opening line
     * ("upgrade A -> B started by ..."), written just before its journal exists: with a journal, the opening
     * line just before the journal's start and every line from that start; without one (the run is only
     * starting, or none runs), the lines from the last opening line not yet followed by the run's end line.
     */
    static long runLines(Uplift uplift, Optional<JournalView> journal, List<LogLine> into) {
        Instant since = journal.map(j -> parse(j.startedAt())).orElse(null);
        long cursor = 0;
        LogLine opening = null;
        while (true) {
            UpgradeLog page = uplift.upgradeLog(cursor, 5000);
            for (LogLine l : page.lines()) {
                if (since == null) {
                    if (isOpening(l)) {
                        into.clear();
                        into.add(l);
                    } else if (!into.isEmpty()) {
                        into.add(l);
                        if (isEnd(l)) {
                            into.clear(); // that run is over
                        }
                    }
                } else if (!parse(l.at()).isBefore(since)) {
                    if (into.isEmpty() && opening != null) {
                        into.add(opening);
                    }
                    into.add(l);
                } else {
                    opening = isOpening(l) ? l : null;
                }
            }
            if (into.size() > SHOWN_LINES) {
                into.subList(0, into.size() - SHOWN_LINES).clear();
            }
            if (page.next() == cursor || page.lines().isEmpty()) {
                return page.next();
            }
            cursor = page.next();
        }
    }

    /** The first line of an upgrade, as the engine's log recorder writes it. */
    private static boolean isOpening(LogLine l) {
        return l.text().startsWith("upgrade ") && l.text().contains(" started by ");
    }

    /** The last line of a run: "ended: ..." or "stopped ...". */
    private static boolean isEnd(LogLine l) {
        return l.text().startsWith("ended: ") || l.text().startsWith("stopped ");
    }

    private static Instant parse(String at) {
        try {
            return Instant.parse(at);
        } catch (RuntimeException e) {
            return Instant.MIN;
        }
    }
}
