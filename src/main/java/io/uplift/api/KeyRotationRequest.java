package io.uplift.api;

import java.time.Duration;
import java.util.Optional;

/**
 * What 'uplift keys rotate' is asked to do: the grace of the old keys (empty: the default, or the
 * grace a resumed rotation started with) and the number of worker threads. Built by {@link #of},
 * which rejects a bad value naming its option before anything is done.
 */
public record KeyRotationRequest(Optional<Duration> grace, int threads, int batchRows) {
    /** Rows re-encrypted per transaction: large enough to amortise the round trips, small enough to keep locks short. */
    public static final int DEFAULT_BATCH_ROWS = 5_000;
    /**
     * Each worker holds a database connection: more than 64 would exhaust a default server's 100
     * connections (and the product's share of them) long before it made the work faster.
     */
    public static final int MAX_THREADS = 64;

    public KeyRotationRequest {
        grace.ifPresent(g -> {
            if (g.isNegative() || g.compareTo(Grace.MAX) > 0) {
                throw new UpliftException(ErrorCode.USAGE, "--grace " + g + " is outside the allowed range 0s to " + Grace.MAX.toDays()
                        + "d; nothing was changed.");
            }
        });
        if (threads < 1 || threads > MAX_THREADS) {
            throw new UpliftException(ErrorCode.USAGE, "--threads " + threads + " is outside the allowed range 1.." + MAX_THREADS
                    + " (each thread holds a database connection); give a number in it, or leave the flag out for the default."
                    + " Nothing was changed.");
        }
        if (batchRows < 1) {
            throw new UpliftException(ErrorCode.USAGE, "The batch size " + batchRows + " must be at least 1 row.");
        }
    }

    /**
     * From the command line's text: {@code grace} as 'keys rotate --grace' takes it ({@link Grace#parse}),
     * {@code threads} null for {@link #defaultThreads()}.
     */
    public static KeyRotationRequest of(String grace, Integer threads) {
        Optional<Duration> g = Optional.ofNullable(grace).map(Grace::parse);
        return new KeyRotationRequest(g, threads == null ? defaultThreads() : threads, DEFAULT_BATCH_ROWS);
    }

    /** One worker per core, at least two (one decrypts while the other waits on the database), at most four. */
    public static int defaultThreads() {
        return Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }
}
