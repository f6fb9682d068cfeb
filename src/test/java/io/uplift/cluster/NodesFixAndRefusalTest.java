package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.ErrorCode;
import io.uplift.api.NodeInfo;
import io.uplift.api.UpliftException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What 'uplift nodes' suggests per node, and how 'uplift nodes forget' words its refusals (issue 16, item 4). */
class NodesFixAndRefusalTest {
    private static final NodeInfo ALIVE = new NodeInfo("node-3fa91c07", "app-1", "web", "3.0", null, "lockbox", "/srv/lockbox-1", 12,
            "2026-11-23T07:24:51Z", "2026-11-23T08:00:03Z", NodeInfo.ALIVE, null);

    @Test
    void anAliveNodeAtTheDatabasesVersionNeedsNothing() {
        assertThat(NodeFix.of("node-a", "/srv/a", "3.0", 5, "3.0", "/srv/u")).isNull();
        assertThat(NodeFix.of("node-a", "/srv/a", "3.0", 5, null, "/srv/u")).as("no recorded version: nothing to compare").isNull();
        assertThat(NodeFix.of("node-a", "/srv/a", "3", 5, "3.0", "/srv/u")).as("3 and 3.0 are one version").isNull();
    }

    @Test
    void aNodeBehindGetsTheUpgradeCommandForItsOwnHome() {
        assertThat(NodeFix.of("node-a", "/srv/a", "2.1", 5, "3.0", "/srv/u")).isEqualTo("uplift upgrade --home /srv/a --to 3.0");
    }

    @Test
    void aNodeAheadOfTheDatabaseIsToldToFinishTheDatabasesUpgrade() {
        assertThat(NodeFix.of("node-a", "/srv/a", "3.0", 5, "2.1", "/srv/u")).contains("uplift resume").contains("2.1 in /srv/a");
    }

    @Test
    void aSilentNodeIsToBeStartedOrForgottenAndASilentNodeBehindUpgradedFirst() {
        assertThat(NodeFix.of("node-a", "/srv/a", "3.0", 60, "3.0", "/srv/u"))
                .isEqualTo("start it, or: uplift nodes forget node-a --home /srv/u (if it is gone)");
        assertThat(NodeFix.of("node-a", "/srv/a", "2.1", 600, "3.0", "/srv/u"))
                .isEqualTo("uplift upgrade --home /srv/a --to 3.0, then start it; or: uplift nodes forget node-a --home /srv/u (if it is gone)");
    }

    @Test
    void forgettingAnAliveNodeNamesItItsHeartbeatAgeTheThresholdAndWhatToDo() {
        UpliftException e = ForgetRefusals.alive(ALIVE);
        assertThat(e.code()).isEqualTo(ErrorCode.NODE_ALIVE);
        assertThat(e.getMessage()).startsWith("Node node-3fa91c07 (web on app-1, version 3.0, home /srv/lockbox-1) sent its last heartbeat 12 s ago,"
                + " less than 60 s ago: it is running").contains("Stop the product on app-1").contains("'uplift nodes forget node-3fa91c07' again")
                .endsWith("Nothing was changed.");
    }

    @Test
    void forgettingAnUnknownIdListsTheKnownOnes() {
        UpliftException e = ForgetRefusals.unknown("node-nope", List.of(ALIVE), "/srv/u");
        assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
        assertThat(e.getMessage()).contains("No node 'node-nope'").contains("the registered nodes are node-3fa91c07")
                .contains("uplift nodes --home /srv/u").endsWith("Nothing was changed.");
        assertThat(ForgetRefusals.unknown("node-nope", List.of(), "/srv/u").getMessage()).contains("no node is registered at all");
    }

    @Test
    void aNodeThatCameBackWhileBeingForgottenIsReportedAlive() {
        UpliftException e = ForgetRefusals.cameBack(ALIVE);
        assertThat(e.code()).isEqualTo(ErrorCode.NODE_ALIVE);
        assertThat(e.getMessage()).contains("sent a heartbeat while it was being forgotten").endsWith("Nothing was changed.");
    }
}
