package io.uplift.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run over three nodes: node 1 serves throughout, node 2 is stopped for two seconds (its reads and
 * writes refused at the connection), node 3 refuses writes for maintenance. The totals add the nodes
 * up; each node's outages, freeze and lost writes are its own.
 */
class ClusterReportTest {
    private static final long START = 1_800_000_000_000L;
    private static final String NODE1 = "http://127.0.0.1:8081/";
    private static final String NODE2 = "http://127.0.0.1:8082/";
    private static final String NODE3 = "http://127.0.0.1:8083/";

    private final List<Outcome> outcomes = new ArrayList<>();

    private void every(String node, long from, long toInclusive, Operation op, Cause cause) {
        for (long t = from; t <= toInclusive; t += 100) {
            outcomes.add(new Outcome(op, t, t + 5, cause, op == Operation.HEALTH && cause == Cause.OK ? "1.0" : null, node));
        }
    }

    private Report run() throws InterruptedException {
        for (String node : List.of(NODE1, NODE2, NODE3)) {
            every(node, START, START + 10_000, Operation.HEALTH, Cause.OK);
        }
        every(NODE1, START, START + 10_000, Operation.READ_SECRET, Cause.OK);
        every(NODE1, START, START + 10_000, Operation.WRITE_SECRET, Cause.OK);
        every(NODE2, START, START + 4_000, Operation.READ_SECRET, Cause.OK);
        every(NODE2, START + 4_100, START + 6_000, Operation.READ_SECRET, Cause.CONNECTION_REFUSED);
        every(NODE2, START + 6_100, START + 10_000, Operation.READ_SECRET, Cause.OK);
        every(NODE3, START, START + 10_000, Operation.READ_SECRET, Cause.OK);
        every(NODE3, START, START + 2_000, Operation.WRITE_SECRET, Cause.OK);
        every(NODE3, START + 2_100, START + 3_000, Operation.WRITE_SECRET, Cause.MAINTENANCE);
        every(NODE3, START + 3_100, START + 10_000, Operation.WRITE_SECRET, Cause.OK);
        outcomes.add(Outcome.of(Operation.LIST_EVENTS, START + 50, START + 50, Cause.SKIPPED_BUSY)); // went to no node

        // Secrets 1 and 2 acknowledged by node 1, 3 by node 3; secret 2 comes back different.
        List<AcknowledgedSecret> acknowledged = List.of(new AcknowledgedSecret(1, "a", "x", START, NODE1),
                new AcknowledgedSecret(2, "b", "y", START, NODE1), new AcknowledgedSecret(3, "c", "z", START, NODE3));
        Map<Long, ReadBack> database = Map.of(1L, new ReadBack.Found("a", "x"), 2L, new ReadBack.Found("b", "changed"),
                3L, new ReadBack.Found("c", "z"));
        AckCheckResults check = new AckVerifier(database::get, new FakeClock(START), millis -> { }, 1000, 10)
                .verifyByNode(acknowledged);
        RunSettings settings = RunSettings.of(List.of(NODE1, NODE2, NODE3), 30, 0.2, 8, "duration");
        return Report.of(settings, outcomes, START, START + 10_000, check, 7);
    }

    @Test
    void eachNodeHasItsOwnRequestsOutagesFreezeAndLostWritesAndTheTotalsAddThemUp() throws Exception {
        Report report = run();

        assertThat(report.nodes()).extracting(NodeReport::url).containsExactly(NODE1, NODE2, NODE3);
        NodeReport node1 = report.nodes().get(0);
        NodeReport node2 = report.nodes().get(1);
        NodeReport node3 = report.nodes().get(2);
        assertThat(node1.counts().failed()).isZero();
        assertThat(node1.readOutages()).isEmpty();
        assertThat(node1.secrets().acknowledged()).isEqualTo(2);
        assertThat(node1.secrets().lost()).isEqualTo(1);
        assertThat(node2.counts().failed()).isEqualTo(20);
        assertThat(node2.readOutages()).hasSize(1);
        assertThat(node2.readOutages().get(0).window().start()).isEqualTo(START + 4_000);
        assertThat(node2.millisWithReadsFailing()).isEqualTo(2_100);
        assertThat(node2.writeFreeze()).isEmpty();
        assertThat(node2.secrets().acknowledged()).as("node 2 acknowledged nothing").isZero();
        assertThat(node3.counts().refusedForMaintenance()).isEqualTo(10);
        assertThat(node3.writeFreeze()).hasValueSatisfying(f -> assertThat(f.unsuccessful()).hasSize(10));
        assertThat(node3.secrets().lost()).isZero();

        assertThat(report.counts().failed()).isEqualTo(20);
        assertThat(report.counts().skippedBusy()).isEqualTo(1);
        assertThat(report.counts().sent()).isEqualTo(node1.counts().sent() + node2.counts().sent() + node3.counts().sent());
        assertThat(report.millisWithReadsFailing()).as("another node answered a read at the same instants").isZero();
        assertThat(report.secrets().lost()).isEqualTo(1);
        assertThat(report.passed()).isFalse();
    }

    @Test
    void theSummaryHasALinePerNodeAndTheJsonANodeArray() throws Exception {
        Report report = run();

        String summary = Summary.of(report);
        assertThat(summary)
                .contains("Per node (3 nodes, requests in turn; acknowledged writes lost: 1 in total)")
                .contains("  " + NODE2 + ": 202 sent, 182 succeeded, 0 refused for maintenance (503), 20 failed (connection refused 20)")
                .contains("reads failing 2.10 s in 1 outage(s) 2.10 s (+4.00 s to +6.10 s); no write freeze")
                .contains("write freeze 1.10 s (+2.00 s to +3.10 s)")
                .contains("acknowledged writes: 2 secrets, 1 read back equal, 1 lost (0 missing, 1 different, 0 not readable)");

        JsonNode json = new ObjectMapper().readTree(ReportJson.write(report));
        assertThat(json.at("/urls/2").asText()).isEqualTo(NODE3);
        assertThat(json.at("/nodes")).hasSize(3);
        assertThat(json.at("/nodes/1/requests/failedByCause/connection_refused").asLong()).isEqualTo(20);
        assertThat(json.at("/nodes/1/reads/outageWindows/0/startSecond").asDouble()).isEqualTo(4.0);
        assertThat(json.at("/nodes/2/writes/freeze/unsuccessfulRequests").asLong()).isEqualTo(10);
        assertThat(json.at("/nodes/0/acknowledgedSecrets/lost").asLong()).isEqualTo(1);
        assertThat(json.at("/nodes/0/versions/0").asText()).isEqualTo("1.0");
        assertThat(json.at("/acknowledgedWrites/secrets/lost").asLong()).isEqualTo(1);
    }

    @Test
    void aSingleNodeRunHasOneNodeEntryAndNoPerNodeLines() {
        List<Outcome> single = new Timelines().every(100, START, START + 1_000, Operation.READ_SECRET, Cause.OK).outcomes();
        Report report = Report.of(new RunSettings(NODE1, 10, 0.2, 4, "duration"), single, START, START + 1_000,
                new AckCheckResult(0, 0, 0, 0, 0, List.of(), List.of(), List.of()), 0);

        assertThat(report.nodes()).singleElement().satisfies(n -> {
            assertThat(n.url()).isEqualTo(NODE1);
            assertThat(n.counts().sent()).isEqualTo(11);
        });
        assertThat(Summary.of(report)).doesNotContain("Per node");
    }
}
