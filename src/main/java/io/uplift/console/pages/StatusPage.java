package io.uplift.console.pages;

import io.uplift.api.StatusResult;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import java.util.List;

/** The installation at a glance: version, database, nodes, services' upgrade state, keys, tokens, pending tasks. */
final class StatusPage implements Pages {
    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/", "Status", "/", (ctx, view) -> {
            StatusResult s = routes.uplift().status();
            StringBuilder b = new StringBuilder();
            b.append(UpgradePage.banner(s.upgrade()));
            b.append("<dl class=\"facts\">")
                    .append(fact("Product", s.product()))
                    .append(fact("Installed version", s.installedVersion(), "installed-version"))
                    .append(fact("Schema version", s.schemaVersion()))
                    .append(fact("Home", s.home()))
                    .append("</dl>");
            StatusResult.Database db = s.database();
            b.append("<h2>Database</h2><dl class=\"facts\">").append(fact("URL", db.url()))
                    .append(fact("Reachable", db.reachable() ? "yes, PostgreSQL " + db.serverVersion() : "no: " + db.error()))
                    .append(fact("Server", db.managed() ? "managed by Uplift, " + db.serverState() : "not managed by Uplift")).append("</dl>");
            if (db.managed()) {
                b.append(view.form("/database/" + ("running".equals(db.serverState()) || "started".equals(db.serverState()) ? "stop" : "start"))
                        .confirm("Change the state of the database server? The product cannot work while it is stopped.")
                        .button("running".equals(db.serverState()) || "started".equals(db.serverState()) ? "Stop the database server"
                                : "Start the database server"));
            }
            b.append("<h2>Nodes</h2>");
            b.append(s.nodes() == null ? "<p>Not read (the database is not reachable).</p>"
                    : s.nodes().isEmpty() ? "<p>No node has registered (the product's node gate registers it at start).</p>"
                    : Html.table(List.of("Node", "Host", "Role", "Version", "Last heartbeat", "State"), s.nodes(),
                            n -> List.of(Html.text(n.nodeId()), Html.text(n.host()), Html.text(n.role()), Html.text(n.programVersion()),
                                    Html.text(n.lastHeartbeat()), Html.text(n.status() + (n.fix() == null ? "" : ": " + n.fix())))));
            b.append("<h2>Node-local files</h2>").append(Html.table(List.of("File", "State"), s.nodeLocalFiles(),
                    f -> List.of(Html.text(f.path()), Html.text(f.state()))));
            b.append("<h2>Keys</h2><p>Rotation: ").append(Html.text(s.keys() == null ? "unknown" : s.keys().rotation()))
                    .append(". <a href=\"/keys\">Keys</a></p>");
            StatusResult.Tokens t = s.tokens();
            b.append("<h2>App tokens</h2><p>").append(t == null ? "The product declares no app tokens."
                    : t.deprecated() < 0 ? Html.text("Not counted: " + t.error())
                    : t.deprecated() == 0 ? "No token in a deprecated format."
                    : "<span class=\"deprecated\">&#9888;</span> " + t.deprecated() + " token(s) in a deprecated format ("
                            + Html.text(String.join(", ", t.deprecatedFormats())) + ").")
                    .append(" <a href=\"/tokens\">App tokens</a></p>");
            b.append("<h2>Pending tasks</h2>").append(s.pendingTasks().isEmpty() ? "<p>None.</p>"
                    : Html.table(List.of("Release", "Task", "How"), s.pendingTasks(),
                            p -> List.of(Html.text(p.release()), Html.text(p.title()), Html.text(p.mode()))))
                    .append("<p><a href=\"/tasks\">Tasks</a></p>");
            return b.toString();
        });
        routes.action("/database/start", (ctx, view) -> {
            var state = routes.uplift().startDatabase();
            routes.flash(view, "ok", "The database server is " + state.name().toLowerCase().replace('_', ' ') + ".");
            return "/";
        });
        routes.action("/database/stop", (ctx, view) -> {
            var state = routes.uplift().stopDatabase();
            routes.flash(view, "ok", "The database server is " + state.name().toLowerCase().replace('_', ' ') + ".");
            return "/";
        });
    }

    static String fact(String label, String value) {
        return fact(label, value, "");
    }

    static String fact(String label, String value, String id) {
        return "<dt>" + Html.text(label) + "</dt><dd" + (id.isEmpty() ? "" : " id=\"" + Html.attr(id) + "\"") + ">" + Html.text(value) + "</dd>";
    }
}
