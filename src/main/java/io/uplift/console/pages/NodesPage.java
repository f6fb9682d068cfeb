package io.uplift.console.pages;

import io.uplift.Uplift;
import io.uplift.api.AgentInfo;
import io.uplift.api.ClusterMode;
import io.uplift.api.ClusterNodeProgress;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import io.uplift.api.ClusterStatus;
import io.uplift.api.ForgottenNode;
import io.uplift.api.NodeInfo;
import io.uplift.api.NodeList;
import io.uplift.api.UpgradeTarget;
import io.uplift.api.UpliftException;
import io.uplift.console.ConsoleRoutes;
import io.uplift.console.Html;
import io.uplift.console.Pages;
import io.uplift.console.View;
import java.util.List;
import java.util.Optional;

/**
 * The nodes the product's node gates registered ('uplift nodes') and the cluster upgrade the agents
 * carry out ('uplift cluster status'), with what 'uplift cluster upgrade', 'cluster cancel' and
 * 'nodes forget' do. Every button only asks: the leading agent decides and moves the cluster, so
 * this page shows the cluster's state as the agents wrote it, read again at each load.
 */
final class NodesPage implements Pages {
    @Override
    public void register(ConsoleRoutes routes) {
        routes.page("/nodes", "Nodes & cluster", "/nodes", (ctx, view) -> body(routes.uplift(), view));
        routes.action("/nodes/cluster-upgrade", (ctx, view) -> {
            askForUpgrade(routes, view, ctx.formParam("to"), "asked");
            return "/nodes";
        });
        routes.action("/nodes/finalize", (ctx, view) -> {
            // As in the command line: asking for the version a rolling upgrade reached again plans nothing and only finalizes.
            askForUpgrade(routes, view, ctx.formParam("to"), "asked: every node runs it already, so the leading agent only finalizes");
            return "/nodes";
        });
        routes.action("/nodes/cluster-cancel", (ctx, view) -> {
            try {
                long id = routes.uplift().requestClusterCancel();
                routes.flash(view, "ok", "Cancel asked (request " + id + "): the leading agent starts the stopped nodes again at their"
                        + " version. This page shows when every node serves again.");
            } catch (UpliftException e) {
                routes.flash(view, "fail", e.getMessage());
            }
            return "/nodes";
        });
        routes.action("/nodes/forget", (ctx, view) -> {
            forget(routes, view, Optional.ofNullable(ctx.formParam("node")).orElse("").strip());
            return "/nodes";
        });
    }

    private static void askForUpgrade(ConsoleRoutes routes, View view, String version, String what) {
        try {
            UpgradeTarget target = new UpgradeTarget(version);
            long id = routes.uplift().requestClusterUpgrade(target);
            routes.flash(view, "ok", "Cluster upgrade " + id + " to " + target + " " + what + "; the leading agent carries it out."
                    + " Reload this page to follow its states.");
        } catch (UpliftException e) {
            routes.flash(view, "fail", e.getMessage());
        }
    }

    private static void forget(ConsoleRoutes routes, View view, String nodeId) {
        if (nodeId.isEmpty()) {
            routes.flash(view, "fail", "No node was named: press Forget on the row of the silent node to forget.");
            return;
        }
        try {
            ForgottenNode f = routes.uplift().forgetNode(nodeId);
            routes.flash(view, "ok", f.removed()
                    ? "Forgot node " + f.node().nodeId() + " (" + f.node().role() + " on " + f.node().host() + ", home " + f.node().home()
                            + "): its row is gone from uplift_nodes. If it starts again, its node gate registers it again."
                    : "Node " + f.node().nodeId() + " was already gone from uplift_nodes (another forget removed it): nothing to do.");
        } catch (UpliftException e) {
            routes.flash(view, "fail", e.getMessage());
        }
    }

    private static String body(Uplift uplift, View view) {
        StringBuilder b = new StringBuilder("<p>The nodes the product's node gate registered in its database, and the cluster upgrade"
                + " that the nodes' agents ('uplift agent') carry out. The buttons only ask; the leading agent does the work.</p>");
        NodeList list;
        ClusterStatus cluster;
        try {
            list = uplift.nodes();
            cluster = uplift.clusterStatus();
        } catch (UpliftException e) {
            // Both live in the product database: when it cannot be read, say why in place (the Status page starts a managed server).
            return b.append(Html.notice("fail", Html.text(e.getMessage()))).toString();
        }
        b.append("<h2>Nodes</h2><div id=\"nodes\">");
        if (list.nodes().isEmpty()) {
            b.append("<p>No node of ").append(Html.text(list.home())).append(" is registered yet: the product's node gate registers each"
                    + " node when it starts.</p>");
        } else {
            b.append("<p>").append(list.nodes().size()).append(list.nodes().size() == 1 ? " node" : " nodes").append(" of ")
                    .append(Html.text(list.product())).append("; the database belongs to ")
                    .append(Html.text(list.databaseVersion() == null ? "no recorded version" : "version " + list.databaseVersion()))
                    .append(". A node without a heartbeat for ").append(list.silentAfterSeconds()).append(" s is silent.</p>");
            b.append(Html.table(List.of("Node", "Host", "Role", "Version", "Keyset", "Heartbeat", "Status", "To fix", ""), list.nodes(),
                    n -> nodeRow(n, view)));
        }
        b.append("</div>");
        b.append("<h2>Cluster</h2><div id=\"cluster\">").append(cluster(cluster)).append("</div>");
        b.append("<div class=\"actions\" id=\"cluster-actions\">").append(buttons(uplift, list, cluster, view)).append("</div>");
        return b.toString();
    }

    private static List<String> nodeRow(NodeInfo n, View view) {
        boolean silent = NodeInfo.SILENT.equals(n.status());
        String forget = silent ? view.form("/nodes/forget").hidden("node", n.nodeId())
                .confirm("Forget node " + n.nodeId() + " (" + n.role() + " on " + n.host() + ", home " + n.home() + ", last heartbeat "
                        + age(n.heartbeatAgeSeconds()) + ")? Its row leaves uplift_nodes; if it starts again it registers again.")
                .button("Forget node") : "";
        return List.of("<span class=\"node-id\">" + Html.text(n.nodeId()) + "</span>", Html.text(n.host()), Html.text(n.role()),
                "<span class=\"node-version\">" + Html.text(n.programVersion()) + "</span>",
                "<code>" + Html.text(n.keysetFingerprint() == null ? "-" : first12(n.keysetFingerprint())) + "</code>",
                Html.text(age(n.heartbeatAgeSeconds())), Html.badge(silent ? "fail" : "ok", n.status()),
                Html.text(n.fix() == null ? "" : n.fix()), forget);
    }

    /** The state, what undoing takes now, the leader, the upgrade's history, each node's part and the agents. */
    static String cluster(ClusterStatus s) {
        StringBuilder b = new StringBuilder("<dl class=\"facts\"><dt>State</dt><dd id=\"cluster-state\">")
                .append(Html.badge(s.state() == ClusterState.FAILED ? "fail" : s.state().ended() ? "ok" : "info", s.state().name()))
                .append("</dd><dt>Undoing now</dt><dd id=\"cluster-rollback\">").append(Html.text(undo(s.rollback())))
                .append("</dd><dt>Leader</dt><dd>").append(Html.text(s.leader().isEmpty() ? "none" : s.leader() + " (fence " + s.leaderFence() + ")"))
                .append("</dd>");
        if (!s.history().isEmpty()) {
            ClusterStateChange first = s.history().get(0);
            b.append("<dt>Upgrade</dt><dd id=\"cluster-upgrade\">").append(Html.text(first.upgradeId() + ": " + first.fromVersion() + " → "
                    + first.toVersion() + ", " + mode(first.mode()) + ", primary " + first.primaryNode())).append("</dd>");
        }
        b.append("</dl>");
        if (!s.history().isEmpty()) {
            b.append(Html.table(List.of("At", "State", "Why", "By"), s.history(), c -> List.of(Html.text(c.at()), Html.text(c.state().name()),
                    Html.text(c.reason()), Html.text(c.movedBy() + " (fence " + c.fence() + ")"))));
        }
        if (!s.nodes().isEmpty()) {
            b.append("<h3>Each node's part</h3>").append(Html.table(List.of("Node", "Last order", "Outcome", "Detail"), s.nodes(),
                    (ClusterNodeProgress n) -> List.of(Html.text(n.nodeId()), Html.text(n.action().isEmpty() ? "(nothing yet)" : n.action()),
                            n.outcome().isEmpty() ? "" : Html.badge("DONE".equals(n.outcome()) ? "ok" : "fail", n.outcome()),
                            Html.text(n.detail()))));
        }
        b.append("<h3>Agents</h3>").append(s.agents().isEmpty()
                ? "<p>No agent ever ran against this database: start 'uplift agent --home HOME' on each node before a cluster upgrade.</p>"
                : Html.table(List.of("Node", "Home", "Seen", "Doing"), s.agents(), (AgentInfo a) -> List.of(Html.text(a.nodeId()),
                        Html.text(a.home()), Html.text(age(a.lastSeenSeconds())), Html.text(a.activity()))));
        return b.toString();
    }

    private static String buttons(Uplift uplift, NodeList list, ClusterStatus s, View view) {
        StringBuilder b = new StringBuilder();
        if (s.state().ended()) {
            List<String> versions = uplift.catalogVersions();
            StringBuilder select = new StringBuilder("<label>Release <select name=\"to\" id=\"cluster-to\">");
            for (int i = 0; i < versions.size(); i++) {
                select.append("<option").append(i == versions.size() - 1 ? " selected" : "").append('>').append(Html.text(versions.get(i)))
                        .append("</option>");
            }
            select.append("</select></label> ");
            b.append(view.form("/nodes/cluster-upgrade").field(select.toString())
                    .confirm("Upgrade every node of the cluster to the release chosen, this node first? The other nodes stop while the"
                            + " primary upgrades (a rolling release keeps them serving).")
                    .disabledWhen(versions.isEmpty(), "The catalog has no release.")
                    .button("Start a cluster upgrade to this release"));
            finalizable(list, s).ifPresent(v -> b.append(view.form("/nodes/finalize").hidden("to", v)
                    .confirm("Finalize the rolling upgrade to " + v + "? The previous release is no longer admitted and the contract"
                            + " migrations run; from then on undoing needs the primary's backup.")
                    .button("Finalize the rolling upgrade to " + v)));
        } else {
            b.append(view.form("/nodes/cluster-cancel").confirm("Cancel the cluster upgrade? The stopped nodes start again at their version.")
                    .button("Cancel the cluster upgrade"));
            if (!"cancel".equals(s.rollback())) {
                b.append("<p class=\"hint\">").append(Html.text(undo(s.rollback()))).append("</p>");
            }
        }
        return b.toString();
    }

    /**
     * The version of a rolling upgrade that ended before its finalize while the database already belongs
     * to it (the primary recorded it, the previous release still admitted): asking for it again finalizes.
     */
    static Optional<String> finalizable(NodeList list, ClusterStatus s) {
        if (s.history().isEmpty() || s.state() == ClusterState.STABLE) {
            return Optional.empty();
        }
        ClusterStateChange last = s.history().get(s.history().size() - 1);
        return last.mode() == ClusterMode.ROLLING && last.toVersion().equals(list.databaseVersion()) ? Optional.of(last.toVersion())
                : Optional.empty();
    }

    private static String undo(String rollback) {
        return switch (rollback) {
            case "cancel" -> "a cancel: no node runs the new version yet";
            case "backup" -> "the primary's upgrade started: undoing it is 'uplift rollback' on the primary, which restores its backup";
            case "program-files" -> "rolling, before finalize: an interrupted node's part is undone by 'uplift rollback' on that node,"
                    + " without restoring any backup";
            default -> "nothing to undo";
        };
    }

    private static String mode(ClusterMode mode) {
        return mode.name().toLowerCase().replace('_', '-');
    }

    static String age(long seconds) {
        return NodeInfo.age(seconds);
    }

    private static String first12(String fingerprint) {
        return NodeInfo.short12(fingerprint);
    }
}
