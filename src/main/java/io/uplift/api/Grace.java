package io.uplift.api;



import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long an old key keeps decrypting after a rotation is verified, before 'uplift keys retire'
 * may disable it. Seven days by default: long enough for every node, cache and backup restore test
 * to meet the new key, short enough that a leaked old key stops mattering soon.
 */
public final class Grace {
    public static final Duration DEFAULT = Duration.ofDays(7);
    /**
     * Ten years: longer makes no sense for a key meant to stop mattering, and far longer (400000000000d)
     * lies past the last instant Java can name, so the rotation would fail at its very end, after all
     * the re-encryption. Checked when the flag is read, before anything is done.
     */
    public static final Duration MAX = Duration.ofDays(3650);
    private static final Pattern SHORT = Pattern.compile("(\\d+)([dhms])");

    private Grace() {}

    /** "7d", "36h", "90m", "0s", or an ISO-8601 duration such as "P7D" or "PT12H". */
    public static Duration parse(String text) {
        Duration d = parseUnbounded(text);
        if (d.compareTo(MAX) > 0) {
            throw new UpliftException(ErrorCode.USAGE, "--grace '" + text + "' is longer than the allowed range 0s to " + MAX.toDays()
                    + "d (ten years): give a shorter duration, such as 7d (the default) or 90d; nothing was changed.");
        }
        return d;
    }

    private static Duration parseUnbounded(String text) {
        String t = text.trim();
        Matcher m = SHORT.matcher(t);
        try {
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            }
            Duration d = Duration.parse(t);
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // reported below, with the forms that work
        }
        throw new UpliftException(ErrorCode.USAGE, "--grace '" + text + "' is not a duration: write it as 7d, 36h, 90m, 0s or P7D"
                + " (how long the old key keeps decrypting after the rotation; default 7d).");
    }
}
