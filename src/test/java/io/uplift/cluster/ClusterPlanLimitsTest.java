package io.uplift.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.catalog.Catalog;
import io.uplift.catalog.CatalogLoader;
import io.uplift.testsupport.ShippedCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What a cluster upgrade refuses before anything is touched: neither a key rotation nor a database move any more. */
class ClusterPlanLimitsTest {
    @Test
    void aReleaseThatRotatesTheKeysAndMovesTheDatabaseIsCarried() {
        Catalog shipped = CatalogLoader.load(ShippedCatalog.copy(c -> { }));
        assertThat(ClusterPlanLimits.refusal(shipped, "2.1", "3.0", 10, false)).isEmpty();
        assertThat(ClusterPlanLimits.refusal(shipped, "2.1", "9.9", 10, false)).hasValueSatisfying(r -> assertThat(r).contains("no upgrade plan"));
    }

    @Test
    void aPlanThatOnlyMovesTheDatabaseIsCarried() {
        Catalog moveOnly = CatalogLoader.load(ShippedCatalog.copy(c -> {
            Path release = c.resolve("releases/3.0/release.yaml");
            Files.writeString(release, Files.readString(release).replace("key-rotation-required: true", "key-rotation-required: false"));
        }));
        assertThat(ClusterPlanLimits.refusal(moveOnly, "2.1", "3.0", 10, false)).isEmpty();
        assertThat(ClusterPlanLimits.refusal(moveOnly, "1.0", "3.0", 10, false)).isEmpty();
        assertThat(ClusterPlanLimits.refusal(moveOnly, "3.0", "3.0", 16, false)).hasValueSatisfying(r -> assertThat(r).contains("nothing to upgrade"));
    }
}
