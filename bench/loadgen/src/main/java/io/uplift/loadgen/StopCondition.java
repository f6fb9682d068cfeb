package io.uplift.loadgen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** When the load stops: the duration passed, the until-file appeared, or a signal asked. */
public final class StopCondition {
    private final Long stopAtMillis;
    private final Path untilFile;
    private volatile boolean signalled;

    public StopCondition(long startMillis, Duration duration, Path untilFile) {
        this.stopAtMillis = duration == null ? null : startMillis + duration.toMillis();
        this.untilFile = untilFile;
    }

    public void signal() {
        signalled = true;
    }

    /** Why to stop now, or empty to go on. */
    public Optional<String> reason(long nowMillis) {
        if (signalled) {
            return Optional.of("signal");
        }
        if (untilFile != null && Files.exists(untilFile)) {
            return Optional.of("until-file");
        }
        if (stopAtMillis != null && nowMillis >= stopAtMillis) {
            return Optional.of("duration");
        }
        return Optional.empty();
    }
}
