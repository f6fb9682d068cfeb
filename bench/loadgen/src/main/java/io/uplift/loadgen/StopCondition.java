package io.uplift.loadgen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** When the load stops: the duration passed, the until-file appeared, or a signal asked. */
public final class StopCondition {
    private final Duration duration;
    private final Path untilFile;
    private volatile boolean signalled;
    private volatile long startMillis;

    /** @param duration null: no time limit */
    public StopCondition(Duration duration, Path untilFile) {
        this.duration = duration;
        this.untilFile = untilFile;
    }

    /** The duration counts from here (the load's start, after the warm-up). */
    public void started(long atMillis) {
        this.startMillis = atMillis;
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
        if (duration != null && nowMillis >= startMillis + duration.toMillis()) {
            return Optional.of("duration");
        }
        return Optional.empty();
    }
}
