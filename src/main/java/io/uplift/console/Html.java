package io.uplift.console;

import java.util.List;
import java.util.function.Function;
import org.owasp.encoder.Encode;

/**
 * The few HTML pieces every page uses. Everything that comes from the installation, the catalog, the
 * database or the request is escaped here (OWASP Encoder), so a value can never become markup.
 */
public final class Html {
    private Html() {}

    public static String text(Object value) {
        return Encode.forHtml(value == null ? "" : String.valueOf(value));
    }

    public static String attr(Object value) {
        return Encode.forHtmlAttribute(value == null ? "" : String.valueOf(value));
    }

    public static String uri(String value) {
        return Encode.forUriComponent(value == null ? "" : value);
    }

    /** A table with a header row; each row's cells are already HTML. */
    public static <T> String table(List<String> headers, List<T> rows, Function<T, List<String>> cells) {
        StringBuilder b = new StringBuilder("<table><thead><tr>");
        headers.forEach(h -> b.append("<th>").append(text(h)).append("</th>"));
        b.append("</tr></thead><tbody>");
        for (T row : rows) {
            b.append("<tr>");
            cells.apply(row).forEach(c -> b.append("<td>").append(c).append("</td>"));
            b.append("</tr>");
        }
        return b.append("</tbody></table>").toString();
    }

    /** A status word with its colour class: pass, warn, fail, ok, info. */
    public static String badge(String kind, String label) {
        return "<span class=\"badge " + attr(kind) + "\">" + text(label) + "</span>";
    }

    public static String notice(String kind, String html) {
        return "<div class=\"notice " + attr(kind) + "\" role=\"status\">" + html + "</div>";
    }
}
