package io.uplift.gate;

import java.util.OptionalInt;

/** Orders dotted numeric versions ("2.1" before "3.0", "3.0" equal to "3.0.0"), as the catalog writes them. */
final class Versions {
    private static final String DOTTED = "\\d+(\\.\\d+)*";

    private Versions() {}

    /**
     * Negative, zero or positive as {@code a} is older than, the same as, or newer than {@code b};
     * empty when either is not a dotted number (a version the gate cannot order: the message then
     * names both without saying which is newer).
     */
    static OptionalInt compare(String a, String b) {
        if (a == null || b == null || !a.matches(DOTTED) || !b.matches(DOTTED)) {
            return OptionalInt.empty();
        }
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            // Compared as digit strings without leading zeros, so that no part is too long for a number.
            int c = compareDigits(i < x.length ? x[i] : "0", i < y.length ? y[i] : "0");
            if (c != 0) {
                return OptionalInt.of(c);
            }
        }
        return OptionalInt.of(0);
    }

    private static int compareDigits(String a, String b) {
        String p = a.replaceFirst("^0+(?=.)", "");
        String q = b.replaceFirst("^0+(?=.)", "");
        return p.length() != q.length() ? Integer.compare(p.length(), q.length()) : Integer.signum(p.compareTo(q));
    }
}
