package io.uplift.loadgen;

import static io.uplift.loadgen.Cause.CONNECTION_CLOSED;
import static io.uplift.loadgen.Cause.CONNECTION_REFUSED;
import static io.uplift.loadgen.Cause.MAINTENANCE;
import static io.uplift.loadgen.Cause.OK;
import static io.uplift.loadgen.Cause.SERVER_ERROR;
import static io.uplift.loadgen.Cause.SKIPPED_BUSY;
import static io.uplift.loadgen.Cause.UNAUTHORIZED;
import static io.uplift.loadgen.Cause.UNEXPECTED_BODY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestCountsTest {

    @Test
    void countsSentSucceededRefusedAndFailedAndGroupsFailuresByCause() {
        List<Outcome> outcomes = new Timelines()
                .every(10, 0, 99, Operation.READ_SECRET, OK)          // 10
                .every(10, 100, 149, Operation.WRITE_SECRET, MAINTENANCE) // 5
                .every(10, 150, 179, Operation.LIST_EVENTS, CONNECTION_REFUSED) // 3
                .at(180, Operation.WRITE_EVENT, CONNECTION_CLOSED)
                .at(181, Operation.LIST_THREATS, SERVER_ERROR)
                .at(182, Operation.LIST_THREATS, SERVER_ERROR)
                .at(183, Operation.READ_SECRET, UNAUTHORIZED)
                .at(184, Operation.READ_SECRET, UNEXPECTED_BODY)
                .every(1, 190, 193, Operation.HEALTH, SKIPPED_BUSY)     // 4 skipped, not sent
                .outcomes();

        RequestCounts counts = RequestCounts.of(outcomes);

        assertThat(counts.sent()).isEqualTo(10 + 5 + 3 + 5);
        assertThat(counts.succeeded()).isEqualTo(10);
        assertThat(counts.refusedForMaintenance()).isEqualTo(5);
        assertThat(counts.failed()).isEqualTo(8);
        assertThat(counts.skippedBusy()).isEqualTo(4);
        assertThat(counts.failedByCause()).isEqualTo(Map.of(CONNECTION_REFUSED, 3L, CONNECTION_CLOSED, 1L,
                SERVER_ERROR, 2L, UNAUTHORIZED, 1L, UNEXPECTED_BODY, 1L));
        assertThat(counts.sentByOperation()).containsEntry(Operation.READ_SECRET, 12L)
                .doesNotContainKey(Operation.HEALTH);
        assertThat(counts.succeededByOperation()).containsOnly(Map.entry(Operation.READ_SECRET, 10L));
    }

    @Test
    void theSlowestSuccessfulReadIsMeasuredFromSentToAnswered() {
        List<Outcome> outcomes = List.of(
                Outcome.of(Operation.READ_SECRET, 0, 40, OK),
                Outcome.of(Operation.LIST_EVENTS, 100, 1_300, OK),
                Outcome.of(Operation.LIST_EVENTS, 200, 5_200, Cause.TIMEOUT),   // failed: not a successful read
                Outcome.of(Operation.WRITE_SECRET, 300, 9_300, OK));           // a write: not a read

        assertThat(RequestCounts.of(outcomes).slowestSuccessfulReadMillis()).isEqualTo(1_200);
    }

    @Test
    void anEmptyRunCountsNothing() {
        RequestCounts counts = RequestCounts.of(List.of());

        assertThat(counts.sent()).isZero();
        assertThat(counts.failedByCause()).isEmpty();
    }
}
