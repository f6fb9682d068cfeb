package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.AgentInfo;
import io.uplift.api.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterReadinessTest {
    private static final String KEYS_A = "a".repeat(64);
    private static final String KEYS_B = "b".repeat(64);

    @Test
    void threeAliveNodesWithAgentsTheSameKeysetAndAccountMayUpgrade() {
        List<NodeInfo> nodes = List.of(node("n1", "web", KEYS_A, "lockbox", 1), node("n2", "web", KEYS_A, "lockbox", 2),
                node("n3", "worker", KEYS_A, "lockbox", 3));
        assertThat(ClusterReadiness.refusal(nodes, agents("n1", "n2", "n3"), "n1", 60)).isEmpty();
    }

    @Test
    void aNodeWithAnotherKeysetIsNamedWithBothFingerprints() {
        List<NodeInfo> nodes = List.of(node("n1", "web", KEYS_A, "lockbox", 1), node("n2", "web", KEYS_B, "lockbox", 1));
        assertThat(ClusterReadiness.refusal(nodes, agents("n1", "n2"), "n1", 60)).hasValueSatisfying(why -> assertThat(why)
                .contains("2 different keysets").contains("aaaaaaaaaaaa").contains("bbbbbbbbbbbb").contains("n1").contains("n2"));
    }

    @Test
    void anotherServiceAccountASilentNodeAndAMissingAgentAreEachNamedWithTheirRemedy() {
        List<NodeInfo> nodes = List.of(node("n1", "web", KEYS_A, "lockbox", 1), node("n2", "web", KEYS_A, "root", 1),
                node("n3", "web", KEYS_A, "lockbox", 300));
        assertThat(ClusterReadiness.refusal(nodes, agents("n1", "n3"), "n1", 60)).hasValueSatisfying(why -> assertThat(why)
                .contains("service account").contains("root").contains("n2")
                .contains("n3").contains("silent").contains("uplift nodes forget n3")
                .contains("node n2 has no running agent (run 'uplift agent --home /homes/n2' there)"));
    }

    @Test
    void aPrimaryThatIsNotRegisteredIsRefused() {
        assertThat(ClusterReadiness.refusal(List.of(node("n1", "web", KEYS_A, "lockbox", 1)), agents("n1"), "n9", 60))
                .hasValueSatisfying(why -> assertThat(why).contains("primary node n9 is not registered"));
    }

    @Test
    void thePrimaryComesFirstThenTheOthersByRoleAndId() {
        List<NodeInfo> nodes = List.of(node("n3", "worker", KEYS_A, "x", 1), node("n2", "web", KEYS_A, "x", 1),
                node("n1", "web", KEYS_A, "x", 1), node("n0", "proxy", KEYS_A, "x", 1));
        assertThat(ClusterReadiness.order(nodes, "n2", List.of())).containsExactly("n2", "n0", "n1", "n3");
    }

    @Test
    void issue16_rolesAreTakenInTheOrderTheCatalogDeclaresAndUndeclaredOnesLast() {
        List<NodeInfo> nodes = List.of(node("n3", "worker", KEYS_A, "x", 1), node("n2", "web", KEYS_A, "x", 1),
                node("n1", "web", KEYS_A, "x", 1), node("n0", "proxy", KEYS_A, "x", 1), node("n5", "batch", KEYS_A, "x", 1));
        assertThat(ClusterReadiness.order(nodes, "n2", List.of("web", "worker", "proxy"))).containsExactly("n2", "n1", "n3", "n0", "n5");
    }

    private static NodeInfo node(String id, String role, String keyset, String account, long age) {
        return new NodeInfo(id, "host", role, "1.0", keyset, account, "/homes/" + id, age, "", "", NodeLiveness.status(age), null);
    }

    private static List<AgentInfo> agents(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> new AgentInfo(id, id + "@host:1", "host", "/homes/" + id, "idle", 1)).toList();
    }
}
