package io.uplift.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionWindowsTest {

    @Test
    void eachVersionIsSeenFromItsFirstToItsLastHealthyAnswerInOrderOfFirstSight() {
        List<Outcome> outcomes = new Timelines()
                .health(3000, "3.0")
                .health(0, "1.0")
                .health(900, "1.0")
                .at(1500, Operation.HEALTH, Cause.CONNECTION_REFUSED)
                .health(2000, "2.1")
                .health(2500, "2.1")
                .health(4000, "3.0")
                .outcomes();

        assertThat(VersionWindows.of(outcomes)).containsExactly(
                new VersionWindow("1.0", 0, 900, 2),
                new VersionWindow("2.1", 2000, 2500, 2),
                new VersionWindow("3.0", 3000, 4000, 2));
    }

    @Test
    void failedHealthAnswersAndOtherOperationsNameNoVersion() {
        List<Outcome> outcomes = List.of(
                new Outcome(Operation.HEALTH, 0, 1, Cause.UNEXPECTED_BODY, null),
                Outcome.of(Operation.READ_SECRET, 5, 6, Cause.OK));

        assertThat(VersionWindows.of(outcomes)).isEmpty();
    }
}
