package io.uplift.console.pages;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.ClusterMode;
import io.uplift.api.ClusterState;
import io.uplift.api.ClusterStateChange;
import io.uplift.api.ClusterStatus;
import io.uplift.api.NodeList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When the nodes page offers Finalize: a rolling upgrade that ended before its finalize, the database already at its version. */
class NodesPageTest {
    private static ClusterStatus endedAt(ClusterState state, ClusterMode mode) {
        ClusterStateChange prepared = new ClusterStateChange(1, 7, ClusterState.PREPARED, "2.1", "2.2", mode, "node-a", List.of("node-a", "node-b"),
                1, "agent", "asked", "2026-12-07T00:00:00Z");
        ClusterStateChange last = new ClusterStateChange(2, 7, state, "2.1", "2.2", mode, "node-a", List.of("node-a", "node-b"), 1, "agent",
                "why", "2026-12-07T00:01:00Z");
        return new ClusterStatus(state, List.of(prepared, last), List.of(), List.of(), "", 0, "");
    }

    private static NodeList databaseAt(String version) {
        return new NodeList("/home", "lockbox", List.of(), version, 60, null);
    }

    @Test
    void aRollingUpgradeThatFailedBeforeItsFinalizeIsFinalizedByAskingItsVersionAgain() {
        assertThat(NodesPage.finalizable(databaseAt("2.2"), endedAt(ClusterState.FAILED, ClusterMode.ROLLING))).contains("2.2");
    }

    @Test
    void nothingIsOfferedWhenTheUpgradeFinalizedWasPrimaryFirstOrNeverReachedTheDatabase() {
        assertThat(NodesPage.finalizable(databaseAt("2.2"), endedAt(ClusterState.STABLE, ClusterMode.ROLLING))).isEmpty();
        assertThat(NodesPage.finalizable(databaseAt("2.2"), endedAt(ClusterState.FAILED, ClusterMode.PRIMARY_FIRST))).isEmpty();
        assertThat(NodesPage.finalizable(databaseAt("2.1"), endedAt(ClusterState.FAILED, ClusterMode.ROLLING))).isEmpty();
        assertThat(NodesPage.finalizable(databaseAt("2.1"), new ClusterStatus(ClusterState.STABLE, List.of(), List.of(), List.of(), "", 0, "")))
                .isEmpty();
    }

    @Test
    void heartbeatsReadAsTheCommandLinePrintsThem() {
        assertThat(NodesPage.age(5)).isEqualTo("5 s ago");
        assertThat(NodesPage.age(600)).isEqualTo("10 min ago");
        assertThat(NodesPage.age(3 * 3600)).isEqualTo("3 h ago");
        assertThat(NodesPage.age(3 * 86400)).isEqualTo("3 d ago");
    }
}
