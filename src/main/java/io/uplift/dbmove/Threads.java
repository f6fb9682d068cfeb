package io.uplift.dbmove;

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

    /** See {@link io.uplift.api.ThreadCount#parse}. */
    public static int parse(String text, int cores) {
        return io.uplift.api.ThreadCount.parse(text, cores);
    }
}
