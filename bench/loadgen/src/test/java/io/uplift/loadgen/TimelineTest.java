package io.uplift.loadgen;

import static io.uplift.loadgen.Cause.CONNECTION_REFUSED;
import static io.uplift.loadgen.Cause.MAINTENANCE;
import static io.uplift.loadgen.Cause.OK;
import static io.uplift.loadgen.Cause.SKIPPED_BUSY;
import static io.uplift.loadgen.Cause.TIMEOUT;
import static io.uplift.loadgen.Operation.HEALTH;
import static io.uplift.loadgen.Operation.LIST_EVENTS;
import static io.uplift.loadgen.Operation.LIST_THREATS;
import static io.uplift.loadgen.Operation.READ_SECRET;
import static io.uplift.loadgen.Operation.WRITE_EVENT;
import static io.uplift.loadgen.Operation.WRITE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {

    @Test
    void steadySuccessfulReadsGiveNoOutageAndTheLongestGapIsTheSpacing() {
        List<Outcome> outcomes = new Timelines().every(20, 0, 1000, READ_SECRET, OK).outcomes();

        Timeline timeline = new Timeline(outcomes, 0, 1000);

        assertThat(timeline.longestWithoutSuccessfulRead().millis()).isEqualTo(20);
        assertThat(timeline.readOutages()).isEmpty();
        assertThat(timeline.millisWithReadsFailing()).isZero();
    }

    @Test
    void aRestartIsTheWindowFromTheLastSuccessfulReadBeforeItToTheFirstAfterIt() {
        List<Outcome> outcomes = new Timelines()
                .every(100, 0, 1000, READ_SECRET, OK)
                .every(100, 1100, 3000, LIST_EVENTS, CONNECTION_REFUSED)
                .every(100, 3100, 5000, LIST_THREATS, OK)
                .outcomes();

        Timeline timeline = new Timeline(outcomes, 0, 5000);

        assertThat(timeline.longestWithoutSuccessfulRead()).isEqualTo(new Window(1000, 3100));
        assertThat(timeline.readOutages()).singleElement().satisfies(gap -> {
            assertThat(gap.window()).isEqualTo(new Window(1000, 3100));
            assertThat(gap.unsuccessful()).hasSize(20);
            assertThat(gap.unsuccessfulSpan()).isEqualTo(new Window(1100, 3000));
        });
        assertThat(timeline.millisWithReadsFailing()).isEqualTo(2100);
    }

    @Test
    void timeWithReadsFailingAddsUpSeveralOutagesButNotQuietGaps() {
        List<Outcome> outcomes = new Timelines()
                .at(0, READ_SECRET, OK)
                .at(500, READ_SECRET, TIMEOUT)          // outage 1: 0 -> 1000
                .at(1000, READ_SECRET, OK)
                .at(4000, READ_SECRET, OK)              // a quiet gap of 3 s: no read failed in it
                .at(4200, READ_SECRET, CONNECTION_REFUSED)
                .at(4400, READ_SECRET, MAINTENANCE)     // a 503 on a read is a failing read too
                .at(4600, READ_SECRET, OK)              // outage 2: 4000 -> 4600
                .outcomes();

        Timeline timeline = new Timeline(outcomes, 0, 4600);

        assertThat(timeline.readOutages()).extracting(OutageGap::window)
                .containsExactly(new Window(0, 1000), new Window(4000, 4600));
        assertThat(timeline.millisWithReadsFailing()).isEqualTo(1600);
        assertThat(timeline.longestWithoutSuccessfulRead()).isEqualTo(new Window(1000, 4000));
    }

    @Test
    void withoutAnySuccessfulReadTheWholeRunIsOneOutage() {
        List<Outcome> outcomes = new Timelines().every(100, 100, 900, READ_SECRET, CONNECTION_REFUSED).outcomes();

        Timeline timeline = new Timeline(outcomes, 0, 1000);

        assertThat(timeline.longestWithoutSuccessfulRead()).isEqualTo(new Window(0, 1000));
        assertThat(timeline.millisWithReadsFailing()).isEqualTo(1000);
    }

    @Test
    void anOutageThatLastsToTheEndOfTheRunEndsAtTheRunsEnd() {
        List<Outcome> outcomes = new Timelines()
                .every(100, 0, 500, READ_SECRET, OK)
                .every(100, 600, 900, READ_SECRET, CONNECTION_REFUSED)
                .outcomes();

        Timeline timeline = new Timeline(outcomes, 0, 2000);

        assertThat(timeline.longestWithoutSuccessfulRead()).isEqualTo(new Window(500, 2000));
        assertThat(timeline.millisWithReadsFailing()).isEqualTo(1500);
    }

    @Test
    void healthWritesAndSkippedSlotsDoNotCountAsReads() {
        List<Outcome> outcomes = new Timelines()
                .at(0, READ_SECRET, OK)
                .every(100, 100, 900, HEALTH, CONNECTION_REFUSED)
                .every(100, 100, 900, WRITE_SECRET, MAINTENANCE)
                .every(100, 150, 950, READ_SECRET, SKIPPED_BUSY)
                .at(1000, READ_SECRET, OK)
                .outcomes();

        Timeline timeline = new Timeline(outcomes, 0, 1000);

        assertThat(timeline.readOutages()).isEmpty();
        assertThat(timeline.longestWithoutSuccessfulRead()).isEqualTo(new Window(0, 1000));
    }

    @Test
    void theWriteFreezeRunsFromTheLastSuccessfulWriteToTheNextAndNamesTheFirstAndLastRefusal() {
        List<Outcome> outcomes = new Timelines()
                .every(100, 0, 1000, WRITE_SECRET, OK)
                .every(100, 1100, 5000, WRITE_SECRET, MAINTENANCE)
                .every(100, 5100, 6000, WRITE_EVENT, CONNECTION_REFUSED)
                .every(100, 6100, 7000, WRITE_EVENT, OK)
                .every(50, 0, 7000, READ_SECRET, OK)
                .outcomes();

        Timeline timeline = new Timeline(outcomes, 0, 7000);

        OutageGap freeze = timeline.writeFreeze().orElseThrow();
        assertThat(freeze.window()).isEqualTo(new Window(1000, 6100));
        assertThat(freeze.unsuccessfulSpan()).isEqualTo(new Window(1100, 6000));
        assertThat(freeze.unsuccessful()).hasSize(40 + 10);
        assertThat(timeline.longestWithoutSuccessfulWrite()).isEqualTo(new Window(1000, 6100));
        assertThat(timeline.readOutages()).isEmpty();
    }

    @Test
    void theFreezeIsTheLongestGapWithRefusalsNotTheLongestQuietGap() {
        List<Outcome> outcomes = new Timelines()
                .at(0, WRITE_SECRET, OK)
                .at(5000, WRITE_SECRET, OK)             // 5 s without writes, none refused: not a freeze
                .every(100, 5100, 6000, WRITE_SECRET, MAINTENANCE)
                .at(6500, WRITE_SECRET, OK)
                .at(7000, WRITE_SECRET, TIMEOUT)
                .at(7100, WRITE_SECRET, OK)
                .outcomes();

        Timeline timeline = new Timeline(outcomes, 0, 7100);

        assertThat(timeline.writeFreeze()).get().extracting(OutageGap::window).isEqualTo(new Window(5000, 6500));
        assertThat(timeline.longestWithoutSuccessfulWrite()).isEqualTo(new Window(0, 5000));
    }

    @Test
    void noRefusedOrFailedWriteMeansNoFreeze() {
        List<Outcome> outcomes = new Timelines().every(500, 0, 3000, WRITE_EVENT, OK).outcomes();

        Timeline timeline = new Timeline(outcomes, 0, 3000);

        assertThat(timeline.writeFreeze()).isEmpty();
        assertThat(timeline.longestWithoutSuccessfulWrite().millis()).isEqualTo(500);
    }

    @Test
    void theOrderOfTheLogDoesNotMatterOnlyTheSendingTimes() {
        List<Outcome> ordered = new Timelines()
                .every(100, 0, 1000, READ_SECRET, OK)
                .every(100, 1100, 2000, READ_SECRET, CONNECTION_REFUSED)
                .every(100, 2100, 3000, READ_SECRET, OK)
                .outcomes();
        List<Outcome> shuffled = new ArrayList<>(ordered);
        Collections.shuffle(shuffled, new java.util.Random(7));

        Timeline timeline = new Timeline(shuffled, 0, 3000);

        assertThat(timeline.longestWithoutSuccessfulRead()).isEqualTo(new Window(1000, 2100));
        assertThat(timeline.millisWithReadsFailing()).isEqualTo(1100);
    }

    @Test
    void requestsSentOutsideTheRunAreClampedToIt() {
        List<Outcome> outcomes = new Timelines()
                .at(-50, READ_SECRET, OK)
                .at(500, READ_SECRET, OK)
                .outcomes();

        Timeline timeline = new Timeline(outcomes, 0, 600);

        assertThat(timeline.readGaps()).extracting(OutageGap::window)
                .containsExactly(new Window(0, 0), new Window(0, 500), new Window(500, 600));
    }

    @Test
    void aRunThatEndsBeforeItStartsIsRefused() {
        assertThatThrownBy(() -> new Timeline(List.of(), 10, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before it starts");
    }
}
