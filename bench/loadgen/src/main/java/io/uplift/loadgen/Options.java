package io.uplift.loadgen;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The validated settings of a run. The token is the content of --token-file (never a flag's value,
 * so it never shows in a process list); {@link #toString()} leaves it out.
 *
 * @param duration   stop after this long (null: only --until-file or a signal stops the run)
 * @param untilFile  stop as soon as this file exists (null: not used)
 */
public record Options(URI url, String token, int rate, double writeShare, int workers, Duration duration,
                      Path untilFile, Path report, boolean quiet, Duration verifyDeadline) {

    @Override
    public String toString() {
        return "Options[url=" + url + ", rate=" + rate + ", writeShare=" + writeShare + ", workers=" + workers
                + ", duration=" + duration + ", untilFile=" + untilFile + ", report=" + report + ", quiet=" + quiet
                + ", verifyDeadline=" + verifyDeadline + "]";
    }
}
