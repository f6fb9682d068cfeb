package io.uplift.api;

import java.util.Locale;

/**
 * The --threads value of the database commands: a preset of the threat-manager document (reliable = 1,
 * recommended = cores / 2, performant = cores) or a number from 1 to {@link #MAX}.
 */
public final class ThreadCount {
    public static final int MAX = 64;

    private ThreadCount() {}

    /** The number of threads {@code text} stands for on a machine of {@code cores}; a bad value is refused naming --threads. */
    public static int parse(String text, int cores) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "reliable" -> 1;
            case "recommended" -> Math.max(1, cores / 2);
            case "performant" -> Math.max(1, cores);
            default -> {
                try {
                    yield check(Integer.parseInt(text.strip()), text);
                } catch (NumberFormatException e) {
                    throw refused(text);
                }
            }
        };
    }

    /** {@code n} itself, or a refusal naming --threads when it is outside 1 to {@link #MAX}. */
    public static int check(int n, String given) {
        if (n < 1 || n > MAX) {
            throw refused(given);
        }
        return n;
    }

    private static UpliftException refused(String text) {
        return new UpliftException(ErrorCode.USAGE, "--threads " + text + " is not reliable, recommended, performant or a number"
                + " from 1 to " + MAX + ".");
    }
}
