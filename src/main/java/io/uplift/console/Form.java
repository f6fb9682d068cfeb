package io.uplift.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A form that changes something: always POST, always with the session's CSRF token, and with a
 * confirmation question when the change is one a terminal would ask about.
 */
public final class Form {
    private final String action;
    private final String csrf;
    private final Optional<String> readOnly;
    private final List<String> fields = new ArrayList<>();
    private String confirm = "";
    private String disabledBecause = "";
    private String cssClass = "inline";

    Form(String action, String csrf, Optional<String> readOnly) {
        this.action = action;
        this.csrf = csrf;
        this.readOnly = readOnly;
    }

    public Form hidden(String name, String value) {
        fields.add("<input type=\"hidden\" name=\"" + Html.attr(name) + "\" value=\"" + Html.attr(value) + "\">");
        return this;
    }

    /** Any other field, already HTML (labels, selects, checkboxes). */
    public Form field(String html) {
        fields.add(html);
        return this;
    }

    /** Asks the browser's confirm() before sending, as the terminal asks before a change. */
    public Form confirm(String question) {
        this.confirm = question;
        return this;
    }

    /** Disabled, with the reason shown next to the button. */
    public Form disabledWhen(boolean disabled, String because) {
        if (disabled) {
            this.disabledBecause = because;
        }
        return this;
    }

    public Form block() {
        this.cssClass = "block";
        return this;
    }

    public String button(String label) {
        String because = readOnly.orElse(disabledBecause);
        StringBuilder b = new StringBuilder("<form method=\"post\" class=\"" + cssClass + "\" action=\"" + Html.attr(action) + "\"");
        if (!confirm.isEmpty()) {
            b.append(" data-confirm=\"").append(Html.attr(confirm)).append('"');
        }
        b.append("><input type=\"hidden\" name=\"csrf\" value=\"").append(Html.attr(csrf)).append("\">");
        fields.forEach(b::append);
        b.append("<button type=\"submit\"").append(because.isEmpty() ? "" : " disabled title=\"" + Html.attr(because) + "\"").append('>')
                .append(Html.text(label)).append("</button>");
        if (!because.isEmpty()) {
            b.append(" <span class=\"why\">").append(Html.text(because)).append("</span>");
        }
        return b.append("</form>").toString();
    }
}
