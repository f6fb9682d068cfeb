package io.uplift.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final long START = 1_800_000_000_000L;

    private static Report upgradeLikeRun(AckCheckResult check) {
        List<Outcome> outcomes = new Timelines()
                .every(100, START, START + 10_000, Operation.READ_SECRET, Cause.OK)
                .every(100, START + 10_100, START + 12_000, Operation.READ_SECRET, Cause.CONNECTION_REFUSED)
                .every(100, START + 12_100, START + 20_000, Operation.LIST_EVENTS, Cause.OK)
                .every(100, START, START + 5_000, Operation.WRITE_SECRET, Cause.OK)
                .every(100, START + 5_100, START + 10_000, Operation.WRITE_SECRET, Cause.MAINTENANCE)
                .every(100, START + 10_100, START + 12_000, Operation.WRITE_SECRET, Cause.CONNECTION_REFUSED)
                .every(100, START + 12_100, START + 20_000, Operation.WRITE_EVENT, Cause.OK)
                .health(START + 50, "1.0")
                .health(START + 9_000, "1.0")
                .health(START + 12_500, "3.0")
                .outcomes();
        RunSettings settings = new RunSettings("http://127.0.0.1:8080/", 50, 0.2, 16, "until-file");
        return Report.of(settings, outcomes, START, START + 20_000, check, 42);
    }

    @Test
    void theJsonCarriesTheCountsTheWindowsTheVersionsAndTheCheck() throws Exception {
        Report report = upgradeLikeRun(new AckCheckResult(3, 3, 0, 0, 0, List.of(), List.of(), List.of()));

        JsonNode json = new ObjectMapper().readTree(ReportJson.write(report));

        assertThat(json.at("/requests/refusedForMaintenance").asLong()).isEqualTo(50);
        assertThat(json.at("/requests/failedByCause/connection_refused").asLong()).isEqualTo(40);
        assertThat(json.at("/reads/longestWithoutSuccess/seconds").asDouble()).isEqualTo(2.1);
        assertThat(json.at("/reads/longestWithoutSuccess/startSecond").asDouble()).isEqualTo(10.0);
        assertThat(json.at("/reads/secondsWithReadsFailing").asDouble()).isEqualTo(2.1);
        assertThat(json.at("/writes/freeze/seconds").asDouble()).isEqualTo(7.1);
        assertThat(json.at("/writes/freeze/firstToLastUnsuccessful/startSecond").asDouble()).isEqualTo(5.1);
        assertThat(json.at("/writes/freeze/firstToLastUnsuccessful/endSecond").asDouble()).isEqualTo(12.0);
        assertThat(json.at("/versions/0/version").asText()).isEqualTo("1.0");
        assertThat(json.at("/versions/1/seen/startSecond").asDouble()).isEqualTo(12.5);
        assertThat(json.at("/acknowledgedWrites/secrets/verifiedPresentAndEqual").asLong()).isEqualTo(3);
        assertThat(json.at("/acknowledgedWrites/events/acknowledged").asLong()).isEqualTo(42);
        assertThat(json.at("/acknowledgedWrites/events/verified").asBoolean()).isFalse();
        assertThat(json.at("/passed").asBoolean()).isTrue();
        assertThat(json.at("/startedAt").asText()).endsWith("Z");
    }

    @Test
    void theSummaryNamesTheFiguresAndTheResult() {
        String summary = Summary.of(upgradeLikeRun(new AckCheckResult(3, 2, 1, 0, 0, List.of(9L), List.of(), List.of())));

        assertThat(summary)
                .contains("50 refused for maintenance (503)")
                .contains("connection refused 40")
                .contains("longest without a successful read 2.10 s (+10.00 s to +12.10 s)")
                .contains("write freeze 7.10 s (+5.00 s to +12.10 s)")
                .contains("1.0 from +0.05 s to +9.00 s (2 answers); 3.0 from +12.50 s to +12.50 s (1 answers)")
                .contains("3 secrets: 2 read back equal, 1 missing, 0 different")
                .contains("Result: FAIL");
    }

    @Test
    void theExitCodeIsZeroOnlyWhenEveryAcknowledgedWriteWasReadBackEqual() {
        assertThat(upgradeLikeRun(new AckCheckResult(3, 3, 0, 0, 0, List.of(), List.of(), List.of())).exitCode())
                .isZero();
        assertThat(upgradeLikeRun(new AckCheckResult(3, 2, 0, 1, 0, List.of(), List.of(4L), List.of())).exitCode())
                .isEqualTo(1);
        assertThat(upgradeLikeRun(new AckCheckResult(3, 2, 0, 0, 1, List.of(), List.of(), List.of(5L))).exitCode())
                .isEqualTo(1);
    }
}
