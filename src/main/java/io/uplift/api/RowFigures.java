package io.uplift.api;

/** One chunk's (or table's) figures on one side: its row count and the sum of its rows' checksums. */
public record RowFigures(long rows, String sum) {
    /** The form recorded with a chunk in the target: rows:checksum. */
    public String text() {
        return rows + ":" + sum;
    }

    public static RowFigures parse(String text) {
        int colon = text.indexOf(':');
        return new RowFigures(Long.parseLong(text.substring(0, colon)), text.substring(colon + 1));
    }
}
