package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules 'uplift check' holds the registered nodes to (issue 16, item 4), on lists of rows. */
class ClusterNodesConsistencyTest {
    private static final String FP_A = "3f1c0b9e27aa" + "a".repeat(52);
    private static final String FP_B = "9d02e4c1b7f5" + "b".repeat(52);
    private static final String HOME = "/srv/lockbox-1";

    private static NodeInfo node(String id, String host, String fingerprint, String account, long age) {
        return new NodeInfo(id, host, "web", "3.0", fingerprint, account, "/srv/" + id, age, "2026-11-23T07:24:51Z",
                "2026-11-23T08:00:03Z", NodeLiveness.status(age), null);
    }

    private static List<ClusterConsistency.Problem> problems(String recorded, NodeInfo... nodes) {
        return ClusterConsistency.problems(List.of(nodes), recorded, "app-1, /srv/node-a", HOME);
    }

    @Test
    void nodesWithOneKeysetOneAccountAndFreshHeartbeatsAgree() {
        assertThat(problems(FP_A, node("node-a", "app-1", FP_A, "lockbox", 3), node("node-b", "app-2", FP_A, "lockbox", 59))).isEmpty();
    }

    @Test
    void aNodeWithAnotherKeysetIsNamedWithItsPrefixAndTheDatabasesKeysetIsMarked() {
        List<ClusterConsistency.Problem> p = problems(FP_A, node("node-a", "app-1", FP_A, "lockbox", 3),
                node("node-b", "app-2", FP_A, "lockbox", 3), node("node-c", "app-3", FP_B, "lockbox", 3));

        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.observed()).contains("2 different keysets")
                    .contains("3f1c0b9e27aa (the database's) on node-a (app-1), node-b (app-2)")
                    .contains("9d02e4c1b7f5 on node-c (app-3)").doesNotContain(FP_A);
            assertThat(problem.remedy()).contains("copy config/keyset.json with its master key from node-a (app-1, /srv/node-a)");
        });
    }

    @Test
    void whenNoNodeHoldsTheDatabasesKeysetTheMessageSaysSoAndWhoRecordedIt() {
        String other = "0123456789ab" + "c".repeat(52);
        List<ClusterConsistency.Problem> p = problems(other, node("node-a", "app-1", FP_A, "lockbox", 3),
                node("node-c", "app-3", FP_B, "lockbox", 3));
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.observed()).contains("none of them is the database's keyset 0123456789ab").doesNotContain("(the database's)");
            assertThat(problem.remedy()).contains("recorded by app-1, /srv/node-a").contains("never mix keysets");
        });
    }

    @Test
    void nodesWithoutAFingerprintAreNotComparedOnKeysets() {
        assertThat(problems(FP_A, node("node-a", "app-1", FP_A, "lockbox", 3), node("node-b", "app-2", null, "lockbox", 3))).isEmpty();
    }

    @Test
    void differentServiceAccountsAreNamedPerNode() {
        List<ClusterConsistency.Problem> p = problems(FP_A, node("node-a", "app-1", FP_A, "lockbox", 3),
                node("node-b", "app-2", FP_A, "root", 3));
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.observed()).contains("2 different service accounts").contains("lockbox on node-a (app-1)")
                    .contains("root on node-b (app-2)");
            assertThat(problem.remedy()).contains("same account on every node");
        });
    }

    @Test
    void aSilentNodeIsNamedWithItsAgeAndTheForgetCommand() {
        List<ClusterConsistency.Problem> p = problems(FP_A, node("node-a", "app-1", FP_A, "lockbox", 3),
                node("node-b", "app-2", FP_A, "lockbox", 300));
        assertThat(p).singleElement().satisfies(problem -> {
            assertThat(problem.observed()).contains("node node-b (web on app-2").contains("is silent").contains("5 min ago");
            assertThat(problem.remedy()).isEqualTo("start it, or 'uplift nodes forget node-b --home " + HOME + "' if it is gone");
        });
    }

    @Test
    void theThresholdIsSixtySecondsOnTheDot() {
        assertThat(NodeLiveness.silent(59)).isFalse();
        assertThat(NodeLiveness.silent(60)).isTrue();
        assertThat(NodeLiveness.status(60)).isEqualTo(NodeInfo.SILENT);
    }

    @Test
    void everyBrokenRuleIsReported() {
        assertThat(problems(FP_A, node("node-a", "app-1", FP_A, "lockbox", 3), node("node-b", "app-2", FP_B, "root", 900))).hasSize(3);
    }
}
