package io.uplift.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The validated settings of a run. The token is the content of --token-file (never a flag's value,
 * so it never shows in a process list); {@link #toString()} leaves it out.
 *
 * @param urls       the base URL of every node the load is spread over (round-robin), in the order given
 * @param duration   stop after this long (null: only --until-file or a signal stops the run)
 * @param untilFile  stop as soon as this file exists (null: not used)
 * @param balance    act as a load balancer: a request a node refuses before acting on it (connection
 *                   refused, 503; for a read also a broken connection or a timeout) goes to the next node
 */
public record Options(List<URI> urls, String token, int rate, double writeShare, int workers, Duration duration,
                      Path untilFile, Path report, boolean quiet, Duration verifyDeadline, boolean balance) {

    public Options {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("at least one URL");
        }
        urls = List.copyOf(urls);
    }

    /** Without --balance. */
    public Options(List<URI> urls, String token, int rate, double writeShare, int workers, Duration duration,
                   Path untilFile, Path report, boolean quiet, Duration verifyDeadline) {
        this(urls, token, rate, writeShare, workers, duration, untilFile, report, quiet, verifyDeadline, false);
    }

    /** One node, as before clusters. */
    public Options(URI url, String token, int rate, double writeShare, int workers, Duration duration,
                   Path untilFile, Path report, boolean quiet, Duration verifyDeadline) {
        this(List.of(url), token, rate, writeShare, workers, duration, untilFile, report, quiet, verifyDeadline);
    }

    /** The first node's URL (the only one of a single-node run). */
    public URI url() {
        return urls.get(0);
    }

    @Override
    public String toString() {
        return "Options[urls=" + urls + ", rate=" + rate + ", writeShare=" + writeShare + ", workers=" + workers
                + ", duration=" + duration + ", untilFile=" + untilFile + ", report=" + report + ", quiet=" + quiet
                + ", verifyDeadline=" + verifyDeadline + ", balance=" + balance + "]";
    }
}
