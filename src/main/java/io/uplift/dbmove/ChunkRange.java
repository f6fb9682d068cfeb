package io.uplift.dbmove;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chunk's range as SQL: {@code KEY < hi}, {@code KEY >= lo}, {@code KEY >= lo AND KEY < hi} over
 * the table's integer key, the same over ctid with {@code '(block,0)'::tid} bounds, or "" for the
 * whole table. A resumed move reads the ranges back from the target's plan; that text is never
 * pasted into a query on the source: it is parsed into numbers against the table's own key column
 * and written again here, so the target's records cannot carry SQL to the source.
 */
final class ChunkRange {
    static final String CTID = "ctid";
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,19}");
    private static final Pattern BLOCK = Pattern.compile("'\\(([0-9]{1,10}),0\\)'::tid");

    private ChunkRange() {}

    /** The range over {@code column} from {@code lo} (inclusive; null: open) to {@code hi} (exclusive; null: open). */
    static String render(String column, Long lo, Long hi) {
        boolean tid = column.equals(CTID);
        if (lo == null && hi == null) {
            return "";
        }
        if (lo == null) {
            return column + " < " + literal(hi, tid);
        }
        if (hi == null) {
            return column + " >= " + literal(lo, tid);
        }
        return column + " >= " + literal(lo, tid) + " AND " + column + " < " + literal(hi, tid);
    }

    private static String literal(long value, boolean tid) {
        return tid ? "'(" + value + ",0)'::tid" : Long.toString(value);
    }

    /**
     * A recorded range, checked and written again for {@code table}; throws IllegalArgumentException
     * when it is not one this move could have cut (over the table's key or ctid).
     */
    static String reparse(TableInfo table, String recorded) {
        if (recorded.isEmpty()) {
            return "";
        }
        String column = recorded.startsWith(CTID + " ") ? CTID : table.intKey();
        if (column == null || !recorded.startsWith(column + " ")) {
            throw new IllegalArgumentException("the recorded range of " + table.label() + " is not over its key " + table.intKey() + " nor ctid");
        }
        String lower = column + " >= ";
        String upper = column + " < ";
        String both = " AND " + upper;
        Long lo = null;
        Long hi = null;
        if (recorded.startsWith(lower)) {
            String rest = recorded.substring(lower.length());
            int and = rest.indexOf(both);
            lo = bound(and < 0 ? rest : rest.substring(0, and), column, recorded);
            if (and >= 0) {
                hi = bound(rest.substring(and + both.length()), column, recorded);
            }
        } else if (recorded.startsWith(upper)) {
            hi = bound(recorded.substring(upper.length()), column, recorded);
        } else {
            throw new IllegalArgumentException("the recorded range \"" + recorded + "\" of " + table.label() + " is not one Uplift writes");
        }
        String again = render(column, lo, hi);
        if (!again.equals(recorded)) {
            throw new IllegalArgumentException("the recorded range \"" + recorded + "\" of " + table.label() + " is not one Uplift writes");
        }
        return again;
    }

    private static Long bound(String text, String column, String recorded) {
        Matcher m = (column.equals(CTID) ? BLOCK : NUMBER).matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("the recorded range \"" + recorded + "\" has a bound that is not a number: " + text);
        }
        try {
            return Long.parseLong(column.equals(CTID) ? m.group(1) : m.group());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the recorded range \"" + recorded + "\" has a bound out of range: " + text, e);
        }
    }
}
