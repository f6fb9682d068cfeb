package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

/** The --threads presets of the threat-manager document: reliable = 1, recommended = cores / 2, performant = cores. */
public final class Threads {
    private Threads() {}

    /**
     * Threads named {@code name} that do not keep the JVM alive, for the move's background builders
     * ({@link EarlyIndexes}, {@link TableChecks}): they are handed work one table at a time as the copy
     * finishes tables, and a failed build or read costs time only (redone later), so they keep executors
     * of their own rather than a {@link io.uplift.db.WorkerPool}, whose first failure stops the rest.
     */
    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public static int parse(String text, int cores) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "reliable" -> 1;
            case "recommended" -> Math.max(1, cores / 2);
            case "performant" -> Math.max(1, cores);
            default -> {
                try {
                    int n = Integer.parseInt(text);
                    if (n < 1 || n > 64) {
                        throw new NumberFormatException();
                    }
                    yield n;
                } catch (NumberFormatException e) {
                    throw new UpliftException(ErrorCode.USAGE, "--threads " + text + " is not reliable, recommended, performant or a number"
                            + " from 1 to 64.");
                }
            }
        };
    }
}
