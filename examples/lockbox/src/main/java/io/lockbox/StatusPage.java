package io.lockbox;

/**
 * The HTML of GET /: for a user who opens Lockbox in a browser, the product, the release this node
 * runs, its state and how many secrets it holds (a count, never a name or a value). It has no inline
 * style or script, which its Content-Security-Policy would refuse: only the hashed stylesheet and
 * script of {@link HashedAssets}.
 */
final class StatusPage {
    static final String SERVING = "serving";
    static final String READ_ONLY = "read-only (maintenance: an upgrade is under way)";

    /**
     * @param secrets the number of secrets stored, or null when the database did not answer
     */
    record Status(String version, String node, boolean readOnly, Long secrets) {}

    private StatusPage() {}

    static String render(Status status, HashedAssets assets) {
        String version = escape(status.version());
        return "<!DOCTYPE html>\n"
                + "<html lang=\"en\">\n"
                + "<head>\n"
                + "<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>Lockbox " + version + "</title>\n"
                + "<link rel=\"stylesheet\" href=\"" + escape(assets.stylesheet()) + "\">\n"
                + "<script src=\"" + escape(assets.script()) + "\" defer></script>\n"
                + "</head>\n"
                + "<body>\n"
                + "<main class=\"card\">\n"
                + "<h1>Lockbox</h1>\n"
                + "<dl>\n"
                + "<dt>Release</dt><dd id=\"version\">" + version + "</dd>\n"
                + "<dt>Node</dt><dd id=\"node\">" + escape(status.node()) + "</dd>\n"
                + "<dt>State</dt><dd id=\"state\" class=\"state-" + (status.readOnly() ? "read-only" : "serving") + "\">"
                + (status.readOnly() ? READ_ONLY : SERVING) + "</dd>\n"
                + "<dt>Secrets stored</dt><dd id=\"secrets\">" + (status.secrets() == null ? "unknown (the database did not answer)" : status.secrets())
                + "</dd>\n"
                + "</dl>\n"
                + "<p class=\"note\">The API is under /api (an app token is needed); /health answers without one.</p>\n"
                + "</main>\n"
                + "</body>\n"
                + "</html>\n";
    }

    /** Text in HTML content or a double-quoted attribute: the node's name comes from the gate or the host. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
