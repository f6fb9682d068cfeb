package io.uplift.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A set of versions written as space-separated conditions that must all hold: {@code *},
 * {@code 1.0} (exactly), {@code >=1.1}, {@code >1.1}, {@code <3.0}, {@code <=2.1}.
 */
public final class VersionRange {
    private static final Pattern CONDITION = Pattern.compile("(>=|<=|>|<|=)?\\s*(\\S+)");

    private record Condition(String operator, Version bound) {
        boolean test(Version v) {
            int c = v.compareTo(bound);
            return switch (operator) {
                case ">=" -> c >= 0;
                case ">" -> c > 0;
                case "<=" -> c <= 0;
                case "<" -> c < 0;
                default -> c == 0;
            };
        }
    }

    private final String text;
    private final List<Condition> conditions;

    private VersionRange(String text, List<Condition> conditions) {
        this.text = text;
        this.conditions = conditions;
    }

    public static VersionRange any() {
        return new VersionRange("*", List.of());
    }

    /** Parses a range, or throws {@link IllegalArgumentException} naming the bad condition. */
    public static VersionRange parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.equals("*")) {
            return any();
        }
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("an empty version range: write '*' for any version, or a condition such as '>=1.1'");
        }
        List<Condition> conditions = new ArrayList<>();
        // Allow ">= 14" as well as ">=14": glue an operator standing alone to the next token.
        String normalised = trimmed.replaceAll("(>=|<=|>|<|=)\\s+", "$1");
        for (String token : normalised.split("\\s+")) {
            Matcher m = CONDITION.matcher(token);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + token + "' in range '" + text + "' is not a condition such as '>=1.1' or '<3.0'");
            }
            try {
                conditions.add(new Condition(m.group(1) == null ? "=" : m.group(1), Version.parse(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("in range '" + text + "': " + e.getMessage(), e);
            }
        }
        return new VersionRange(trimmed, List.copyOf(conditions));
    }

    public boolean contains(Version v) {
        return conditions.stream().allMatch(c -> c.test(v));
    }

    @Override
    public String toString() {
        return text;
    }
}
