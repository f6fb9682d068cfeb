package io.uplift.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StopConditionTest {
    @TempDir
    Path dir;

    @Test
    void theDurationStopsTheRunWhenItHasPassed() {
        StopCondition stop = new StopCondition(Duration.ofSeconds(5), null);
        stop.started(1000);

        assertThat(stop.reason(5999)).isEmpty();
        assertThat(stop.reason(6000)).contains("duration");
    }

    @Test
    void theUntilFileStopsTheRunWhenItAppearsBeforeTheDuration() throws Exception {
        Path done = dir.resolve("upgrade-ended");
        StopCondition stop = new StopCondition(Duration.ofMinutes(10), done);

        assertThat(stop.reason(1)).isEmpty();
        Files.createFile(done);
        assertThat(stop.reason(2)).contains("until-file");
    }

    @Test
    void aSignalStopsTheRunAtOnce() {
        StopCondition stop = new StopCondition(null, dir.resolve("never"));

        assertThat(stop.reason(Long.MAX_VALUE)).isEmpty();
        stop.signal();
        assertThat(stop.reason(1)).contains("signal");
    }
}
