package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.NodeInfo;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** 'uplift check''s keyset rule while a cluster upgrade hands a new key over: its three keysets are work in progress, others are not. */
class ClusterKeyTransitionTest {
    private static final String BEFORE = "1111aaaa2222" + "a".repeat(52);
    private static final String AFTER = "3333bbbb4444" + "b".repeat(52);
    private static final String RETIRED = "5555cccc6666" + "c".repeat(52);
    private static final String STRANGER = "7777dddd8888" + "d".repeat(52);
    private static final ClusterConsistency.KeyTransition HANDOVER = new ClusterConsistency.KeyTransition(12, 3141592653L, BEFORE, AFTER, RETIRED);

    private static NodeInfo node(String id, String fingerprint) {
        return new NodeInfo(id, "app-" + id, "web", "3.0", fingerprint, "lockbox", "/srv/" + id, 2, "2026-11-23T07:24:51Z",
                "2026-11-23T08:00:03Z", NodeLiveness.status(2), null);
    }

    private static List<ClusterConsistency.Problem> problems(Optional<ClusterConsistency.KeyTransition> handover, NodeInfo... nodes) {
        return ClusterConsistency.problems(List.of(nodes), AFTER, "app-1, /srv/n1", "/srv/n1", handover);
    }

    @Test
    void nodesBeforeWithAndAfterTheNewKeyAreNoProblemDuringTheHandover() {
        assertThat(problems(Optional.of(HANDOVER), node("n1", AFTER), node("n2", BEFORE), node("n3", RETIRED))).isEmpty();
    }

    @Test
    void theSameNodesWithoutAHandoverAreTheUsualKeysetMismatch() {
        assertThat(problems(Optional.empty(), node("n1", AFTER), node("n2", BEFORE))).singleElement()
                .satisfies(p -> assertThat(p.observed()).contains("2 different keysets"));
    }

    @Test
    void aNodeWithAKeysetOutsideTheHandoverIsNamedWithWhatToDo() {
        assertThat(problems(Optional.of(HANDOVER), node("n1", AFTER), node("n2", BEFORE), node("n3", STRANGER))).singleElement()
                .satisfies(p -> {
                    assertThat(p.observed()).contains("cluster upgrade 12 is handing key 3141592653 over")
                            .contains("7777dddd8888 on n3 (app-n3)").doesNotContain("n2 (app-n2)").doesNotContain(STRANGER);
                    assertThat(p.remedy()).contains("config/keyset.json they had when the cluster upgrade started");
                });
    }
}
