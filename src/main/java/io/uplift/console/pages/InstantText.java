package io.uplift.console.pages;

import io.uplift.console.Html;

/** Instants as an operator reads them ("2026-12-07 06:42:23 UTC"), the full ISO value kept in a time element's datetime. */
final class InstantText {
    private InstantText() {}

    /** To the second; a value that is not an ISO instant is shown as it is. */
    static String seconds(String instant) {
        return instant != null && instant.length() >= 19 && instant.charAt(10) == 'T'
                ? instant.substring(0, 10) + " " + instant.substring(11, 19) + " UTC" : String.valueOf(instant);
    }

    /** A time element (already HTML), or {@code absent} (text) when there is no instant. */
    static String time(String instant, String absent) {
        if (instant == null || instant.isEmpty()) {
            return Html.text(absent);
        }
        return "<time datetime=\"" + Html.attr(instant) + "\">" + Html.text(seconds(instant)) + "</time>";
    }
}
