package io.lockbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReleaseFeaturesTest {
    @Test
    void theOneAndOnePointOneReleasesUseTheFirstSchemaAndV1Tokens() {
        for (String v : new String[] {"1.0", "1.1"}) {
            ReleaseFeatures f = ReleaseFeatures.of(v);
            assertThat(f.eventSeverity()).isFalse();
            assertThat(f.taxonomies()).isFalse();
            assertThat(f.partitionedEvents()).isFalse();
            assertThat(f.tokenFormat().name()).isEqualTo("v1");
        }
    }

    @Test
    void twoPointZeroBringsSeverityTaxonomiesAndV2TokensAndThreePointZeroPartitionedEvents() {
        assertThat(ReleaseFeatures.of("2.1")).extracting(ReleaseFeatures::eventSeverity, ReleaseFeatures::taxonomies,
                ReleaseFeatures::partitionedEvents).containsExactly(true, true, false);
        assertThat(ReleaseFeatures.of("2.0").tokenFormat().name()).isEqualTo("v2");
        assertThat(ReleaseFeatures.of("3.0").partitionedEvents()).isTrue();
        assertThat(ReleaseFeatures.of("10.0").partitionedEvents()).isTrue();
    }

    @Test
    void aNewEventsSeverityFollowsTheTwoPointZeroMigration() {
        assertThat(EventStore.severityOf("threat.detected")).isEqualTo(4);
        assertThat(EventStore.severityOf("login.failed")).isEqualTo(3);
        assertThat(EventStore.severityOf("token.created")).isEqualTo(2);
        assertThat(EventStore.severityOf("secret.read")).isEqualTo(1);
        assertThat(EventStore.severityOf("anything.else")).isZero();
    }
}
