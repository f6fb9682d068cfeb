package io.uplift.console;

import java.util.List;

/** The frame of every page: the navigation, the sign-out button, the banners, the hashed assets. */
final class Layout {
    record Link(String path, String label) {}

    static final List<Link> NAVIGATION = List.of(new Link("/", "Status"), new Link("/plan", "Plan & checks"),
            new Link("/upgrade", "Upgrade"), new Link("/journal", "Journal & log"), new Link("/backups", "Backups"),
            new Link("/tokens", "App tokens"), new Link("/tasks", "Tasks"), new Link("/keys", "Keys"), new Link("/nodes", "Nodes"), new Link("/dr", "DR"),
            new Link("/db-move", "Database move"), new Link("/maintenance", "Maintenance"), new Link("/support", "Support"));

    private Layout() {}

    static String page(String title, String current, View view, String banner, String body) {
        StringBuilder nav = new StringBuilder();
        for (Link l : NAVIGATION) {
            nav.append("<a href=\"").append(l.path()).append('"').append(l.path().equals(current) ? " aria-current=\"page\"" : "")
                    .append('>').append(Html.text(l.label())).append("</a>");
        }
        String signOut = "<form method=\"post\" action=\"/logout\" class=\"inline\"><input type=\"hidden\" name=\"csrf\" value=\""
                + Html.attr(view.session().csrf()) + "\"><button type=\"submit\" class=\"link\">Sign out</button></form>";
        String readOnly = view.readOnly().map(why -> Html.notice("warn", "<strong>Read-only.</strong> " + Html.text(why))).orElse("");
        return frame(title, view.assets(), "<header><span class=\"brand\">Uplift console</span><nav>" + nav + "</nav><span class=\"who\">"
                + Html.text(view.session().describe()) + " " + signOut + "</span></header><main><h1>" + Html.text(title) + "</h1>"
                + readOnly + banner + body + "</main>");
    }

    static String frame(String title, Assets assets, String body) {
        return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>" + Html.text(title) + " · Uplift</title><link rel=\"stylesheet\" href=\"" + assets.url("console.css") + "\">"
                + "<script defer src=\"" + assets.url("console.js") + "\"></script></head><body>" + body + "</body></html>";
    }
}
