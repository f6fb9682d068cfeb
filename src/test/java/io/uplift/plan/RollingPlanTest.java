package io.uplift.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.uplift.api.ClusterMode;
import io.uplift.api.ErrorCode;
import io.uplift.api.Step;
import io.uplift.api.StepKind;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.CatalogLoader;
import io.uplift.catalog.Version;
import io.uplift.testsupport.ShippedCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The catalog's cluster-mode, and the primary's plan of a rolling upgrade derived from the whole plan. */
class RollingPlanTest {
    private static final Catalog SHIPPED = CatalogLoader.load(ShippedCatalog.copy(c -> { }));

    private static Plan plan(String from, String to) {
        return new Planner(SHIPPED).plan(Version.parse(from), Version.parse(to), OptionalInt.of(16));
    }

    @Test
    void lockbox22RollsAndItsPrimaryPlanHasNoMaintenanceAndExpandsBeforeTheStop() {
        Plan whole = plan("2.1", "2.2");
        assertThat(SHIPPED.release(Version.parse("2.2")).orElseThrow().clusterMode()).isEqualTo(ClusterMode.ROLLING);
        assertThat(whole.clusterMode(SHIPPED)).isEqualTo(ClusterMode.ROLLING);

        List<StepKind> kinds = whole.forRollingPrimary(ClusterMode.ROLLING).orElseThrow().hops().get(0).steps().stream().map(Step::kind).toList();

        assertThat(kinds).doesNotContain(StepKind.MAINTENANCE_ON, StepKind.MAINTENANCE_OFF, StepKind.MIGRATE_SCHEMA, StepKind.RECORD_VERSION);
        assertThat(kinds).containsSubsequence(StepKind.CHECKS, StepKind.BACKUP, StepKind.EXPAND_SCHEMA, StepKind.STOP_SERVICES,
                StepKind.SWAP_PROGRAM_FILES, StepKind.RECORD_ROLLING_VERSION, StepKind.START_SERVICES);
        // A single node's upgrade to 2.2 is the ordinary one: maintenance, all migrations (expand and contract).
        assertThat(whole.hops().get(0).steps().stream().map(Step::kind)).contains(StepKind.MAINTENANCE_ON, StepKind.MIGRATE_SCHEMA)
                .doesNotContain(StepKind.EXPAND_SCHEMA);
    }

    @Test
    void plansThatCannotRollArePrimaryFirst() {
        assertThat(plan("2.1", "3.0").clusterMode(SHIPPED)).as("3.0 declares no rolling, moves the database, rotates keys")
                .isEqualTo(ClusterMode.PRIMARY_FIRST);
        assertThat(plan("2.0", "2.2").hops()).hasSize(2);
        assertThat(plan("2.0", "2.2").clusterMode(SHIPPED)).as("two hops: only the previous release runs on the expanded schema")
                .isEqualTo(ClusterMode.PRIMARY_FIRST);
        assertThat(plan("2.1", "2.2").forRollingPrimary(ClusterMode.PRIMARY_FIRST)).isEmpty();
    }

    @Test
    void anUnknownClusterModeIsRefusedNamingTheField() {
        Path catalog = ShippedCatalog.copy(c -> replace(c.resolve("releases/2.2/release.yaml"), "cluster-mode: rolling", "cluster-mode: sideways"));

        UpliftException e = catchThrowableOfType(() -> CatalogLoader.load(catalog), UpliftException.class);

        assertThat(e.code()).isEqualTo(ErrorCode.CATALOG_INVALID);
        assertThat(e.getMessage()).contains("releases/2.2/release.yaml").contains("cluster-mode").contains("'sideways' is not primary-first or rolling");
    }

    @Test
    void aRollingReleaseWithoutExpandFolderOrWithAStrayMigrationIsRefused() {
        Path noExpand = ShippedCatalog.copy(c -> {
            Path migrations = c.resolve("releases/2.2/migrations");
            Files.move(migrations.resolve("expand/V2_2_0_001__secrets_stored_by.sql"), migrations.resolve("contract/V2_2_0_001__secrets_stored_by.sql"));
            Files.delete(migrations.resolve("expand"));
        });
        assertThat(catchThrowableOfType(() -> CatalogLoader.load(noExpand), UpliftException.class).getMessage())
                .contains("cluster-mode").contains("migrations/expand");

        Path stray = ShippedCatalog.copy(c -> {
            Files.writeString(c.resolve("releases/2.2/migrations/V2_2_0_002__stray.sql"), "SELECT 1;");
        });
        assertThat(catchThrowableOfType(() -> CatalogLoader.load(stray), UpliftException.class).getMessage())
                .contains("V2_2_0_002__stray.sql").contains("neither in expand/ nor in contract/");
    }

    private static void replace(Path file, String from, String to) throws java.io.IOException {
        String text = Files.readString(file);
        assertThat(text).contains(from);
        Files.writeString(file, text.replace(from, to));
    }
}
