package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.ClusterMode;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.CatalogLoader;
import io.uplift.testsupport.ShippedCatalog;
import org.junit.jupiter.api.Test;

/** Which mode the leader picks for a request, and when an empty plan is a finalize rather than nothing to do. */
class ClusterModeChoiceTest {
    private static final Catalog SHIPPED = CatalogLoader.load(ShippedCatalog.copy(c -> { }));

    @Test
    void theCatalogsRollingReleaseRollsAndEverythingElseIsPrimaryFirst() {
        assertThat(ClusterModeChoice.of(SHIPPED, "2.1", "2.2", 16, false)).isEqualTo(ClusterMode.ROLLING);
        assertThat(ClusterModeChoice.of(SHIPPED, "1.0", "2.1", 10, false)).isEqualTo(ClusterMode.PRIMARY_FIRST);
        assertThat(ClusterModeChoice.of(SHIPPED, "2.0", "2.2", 10, false)).as("two hops").isEqualTo(ClusterMode.PRIMARY_FIRST);
        assertThat(ClusterModeChoice.of(SHIPPED, "2.1", "nonsense", 10, false)).isEqualTo(ClusterMode.PRIMARY_FIRST);
    }

    @Test
    void askingAgainForTheVersionInstalledFinalizesOnlyWhileThePreviousReleaseIsStillAdmitted() {
        assertThat(ClusterModeChoice.of(SHIPPED, "2.2", "2.2", 16, true)).isEqualTo(ClusterMode.ROLLING);
        assertThat(ClusterPlanLimits.refusal(SHIPPED, "2.2", "2.2", 16, true)).isEmpty();
        assertThat(ClusterPlanLimits.refusal(SHIPPED, "2.2", "2.2", 16, false)).get().asString().contains("nothing to upgrade");
    }
}
