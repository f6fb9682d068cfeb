package io.uplift.console.pages;

import io.uplift.Uplift;
import io.uplift.api.CleanupItem;
import io.uplift.api.ObsoleteDependency;
import io.uplift.api.PendingTask;
import io.uplift.api.TaskOutcome;
import io.uplift.api.UpliftException;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import io.uplift.console.View;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The post-upgrade tasks still pending ('uplift tasks'): Run for an automatic one (the data-classification
 * document's per-taxonomy Update is Lockbox 2.0's "Update taxonomies"), Mark done for a manual one, each
 * after confirmation and each shown with its outcome once done; and the obsolete dependencies with
 * "Clean up" ('uplift cleanup'). These run in the request, as on the command line: a task is one
 * transaction, a cleanup removes a stopped server's folder, both short next to a backup or a move.
 */
final class TasksPage implements Pages {
    private static final int OUTCOMES_SHOWN = 20;

    /** The tasks done from this console, newest first: a done task leaves the pending list, its outcome stays here. */
    private final List<TaskOutcome> outcomes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/tasks", "Tasks", "/tasks", (ctx, view) -> body(routes, view));
        routes.action("/tasks/run", (ctx, view) -> {
            String id = ctx.formParam("id");
            Uplift uplift = routes.uplift();
            Optional<PendingTask> task = pending(uplift, id);
            if (task.isEmpty() || !"automatic".equals(task.get().mode())) {
                routes.flash(view, "fail", "The field 'id' names no pending automatic task (got '" + id + "'): press Run on a task of the list.");
                return "/tasks";
            }
            try {
                uplift.checkChange("uplift tasks run " + id);
                for (TaskOutcome o : uplift.runTasks(Optional.of(id))) {
                    record(o);
                    routes.flash(view, o.done() ? "ok" : "fail", o.title() + ": " + o.detail());
                }
            } catch (UpliftException e) {
                routes.flash(view, "fail", e.getMessage());
            }
            return "/tasks";
        });
        routes.action("/tasks/done", (ctx, view) -> {
            String id = ctx.formParam("id");
            Uplift uplift = routes.uplift();
            if (pending(uplift, id).isEmpty()) {
                routes.flash(view, "fail", "The field 'id' names no pending task (got '" + id + "'): press Mark done on a task of the list.");
                return "/tasks";
            }
            try {
                uplift.checkChange("uplift tasks done " + id);
                TaskOutcome o = uplift.taskDone(id);
                record(o);
                routes.flash(view, o.done() ? "ok" : "fail", o.title() + ": " + o.detail());
            } catch (UpliftException e) {
                routes.flash(view, "fail", e.getMessage());
            }
            return "/tasks";
        });
        routes.action("/tasks/cleanup", (ctx, view) -> {
            Uplift uplift = routes.uplift();
            try {
                uplift.checkChange("uplift cleanup");
                if (uplift.obsoleteDependencies().isEmpty()) {
                    routes.flash(view, "ok", "No obsolete dependency to clean up.");
                    return "/tasks";
                }
                List<CleanupItem> items = uplift.cleanup();
                boolean all = items.stream().allMatch(CleanupItem::removed);
                routes.flash(view, all ? "ok" : "warn", String.join(" ", items.stream().map(i -> i.id() + ": " + i.detail()).toList()));
            } catch (UpliftException e) {
                routes.flash(view, "fail", e.getMessage());
            }
            return "/tasks";
        });
    }

    private void record(TaskOutcome o) {
        outcomes.add(0, o);
        while (outcomes.size() > OUTCOMES_SHOWN) {
            outcomes.remove(outcomes.size() - 1);
        }
    }

    private static Optional<PendingTask> pending(Uplift uplift, String id) {
        return id == null ? Optional.empty() : uplift.pendingTasks().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    private String body(ConsoleRoutes routes, View view) {
        Uplift uplift = routes.uplift();
        List<PendingTask> pending = uplift.pendingTasks();
        StringBuilder b = new StringBuilder("<p>What the upgrades left to do. Uplift runs an automatic task when you press Run (each in one"
                + " transaction, safe to run again); a manual one is yours to do, then Mark done records it.</p>");
        b.append("<h2>Pending tasks</h2>");
        if (pending.isEmpty()) {
            b.append("<p id=\"no-tasks\">No post-upgrade task is pending.</p>");
        } else {
            b.append("<table id=\"tasks\"><thead><tr><th>Task</th><th>From release</th><th>How</th><th></th></tr></thead><tbody>");
            for (PendingTask t : pending) {
                boolean automatic = "automatic".equals(t.mode());
                b.append("<tr id=\"task-").append(Html.attr(t.id())).append("\"><td>").append(Html.text(t.title())).append(" <code>")
                        .append(Html.text(t.id())).append("</code></td><td>").append(Html.text(t.release())).append("</td><td>")
                        .append(Html.badge(automatic ? "info" : "warn", t.mode())).append("</td><td>");
                b.append(automatic
                        ? view.form("/tasks/run").hidden("id", t.id()).confirm("Run '" + t.title() + "' now? It changes the product's data in one"
                                + " transaction.").button("Run")
                        : view.form("/tasks/done").hidden("id", t.id()).confirm("Is '" + t.title() + "' done? Mark it done only once you did"
                                + " what it asks; Uplift cannot check it.").button("Mark done"));
                b.append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        List<TaskOutcome> done;
        synchronized (outcomes) {
            done = List.copyOf(outcomes);
        }
        if (!done.isEmpty()) {
            b.append("<h2>Done from this console</h2>").append("<table id=\"task-outcomes\"><thead><tr><th>Task</th><th>From release</th>"
                    + "<th></th><th>Outcome</th></tr></thead><tbody>");
            for (TaskOutcome o : done) {
                b.append("<tr id=\"outcome-").append(Html.attr(o.id())).append("\"><td>").append(Html.text(o.title())).append("</td><td>")
                        .append(Html.text(o.release())).append("</td><td>").append(Html.badge(o.done() ? "done" : "fail", o.done() ? "done" : "not done"))
                        .append("</td><td>").append(Html.text(o.detail())).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("<h2>Obsolete dependencies</h2>");
        List<ObsoleteDependency> obsolete = uplift.obsoleteDependencies();
        if (obsolete.isEmpty()) {
            b.append("<p id=\"no-obsolete\">No obsolete dependency to clean up.</p>");
        } else {
            b.append("<p>What the installed releases no longer need. Clean up removes what Uplift made itself (such as the old PostgreSQL"
                    + " server a database move left stopped and intact) and says what to do about the rest.</p>");
            b.append(Html.table(List.of("Dependency", "What it is"), obsolete, d -> List.of("<code>" + Html.text(d.id()) + "</code>",
                    Html.text(d.description()))));
            b.append(view.form("/tasks/cleanup").confirm("Remove what Uplift can remove of these obsolete dependencies? Do it once you are"
                    + " satisfied with the upgrade: a removed old server cannot be moved back to.").block().button("Clean up obsolete dependencies"));
        }
        return b.toString();
    }
}
