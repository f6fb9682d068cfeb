package io.uplift.catalog;

import io.uplift.api.UpgradeTarget;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A release version: dot-separated numbers compared part by part as numbers, so that
 * {@code 9.1.000000 < 9.1.000001 < 10.0} and {@code 5.5 < 5.7 < 5.10}. Missing parts count as
 * zero ({@code 2.0} equals {@code 2.0.0}); the text as written is kept for display.
 */
public final class Version implements Comparable<Version> {
    private static final Pattern SYNTAX = UpgradeTarget.VERSION_SYNTAX;

    private final String text;
    private final List<BigInteger> parts;

    private Version(String text, List<BigInteger> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** Parses a version, or throws {@link IllegalArgumentException} with a message for the operator. */
    public static Version parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (!SYNTAX.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version: use numbers separated by dots, such as 2.1 or 9.1.000001");
        }
        List<BigInteger> parts = new ArrayList<>();
        for (String part : trimmed.split("\\.")) {
            parts.add(new BigInteger(part));
        }
        // Trailing zeros do not change the order; dropping them makes equals agree with compareTo.
        int end = parts.size();
        while (end > 1 && parts.get(end - 1).signum() == 0) {
            end--;
        }
        return new Version(trimmed, List.copyOf(parts.subList(0, end)));
    }

    /** The first number of the version, e.g. 16 for PostgreSQL 16.4. */
    public int major() {
        return parts.get(0).intValueExact();
    }

    @Override
    public int compareTo(Version other) {
        int n = Math.max(parts.size(), other.parts.size());
        for (int i = 0; i < n; i++) {
            int c = part(i).compareTo(other.part(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private BigInteger part(int i) {
        return i < parts.size() ? parts.get(i) : BigInteger.ZERO;
    }

    public boolean isNewerThan(Version other) {
        return compareTo(other) > 0;
    }

    public boolean isOlderThan(Version other) {
        return compareTo(other) < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version v && parts.equals(v.parts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(parts);
    }

    @Override
    public String toString() {
        return text;
    }
}
