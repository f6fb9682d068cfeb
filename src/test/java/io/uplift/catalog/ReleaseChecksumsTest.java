package io.uplift.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, item 14: migrations-sha256 covers the migrations folder and the post-upgrade task SQL. */
class ReleaseChecksumsTest {
    @TempDir
    Path tmp;

    @Test
    void issue13_item14_aMigrationChangedAfterTheCatalogWasWrittenIsReleaseCorrupt() throws Exception {
        TestCatalog c = TestCatalog.lockbox(tmp.resolve("catalog"));
        Release r20 = c.load().release(Version.parse("2.0")).orElseThrow();
        ReleaseChecksums.requireMigrationsIntact(r20);

        Files.writeString(c.file("releases/2.0/migrations/V2_0_0_001__change.sql"), "DROP TABLE secrets;\n");

        assertThatThrownBy(() -> ReleaseChecksums.requireMigrationsIntact(r20))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code().exitCode()).isEqualTo(19))
                .hasMessageContaining("migrations of release 2.0 (" + c.file("releases/2.0/migrations") + ")")
                .hasMessageContaining("migrations-sha256 in " + c.file("releases/2.0/release.yaml"));
    }

    @Test
    void anAddedMigrationOrAnEditedTaskSqlNoLongerMatches() throws Exception {
        TestCatalog c = TestCatalog.lockbox(tmp.resolve("catalog"));
        Path yaml = c.file("releases/2.0/release.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("SET taxonomy_id = 1", "SET taxonomy_id = 2"));
        assertThatThrownBy(() -> ReleaseChecksums.requireMigrationsIntact(CatalogLoader.load(c.root()).release(Version.parse("2.0")).orElseThrow()))
                .hasMessageContaining("post-upgrade task SQL");

        Files.writeString(c.file("releases/1.1/migrations/V1_1_0_900__extra.sql"), "SELECT 2;\n");
        assertThatThrownBy(() -> ReleaseChecksums.requireMigrationsIntact(CatalogLoader.load(c.root()).release(Version.parse("1.1")).orElseThrow()))
                .hasMessageContaining("migrations of release 1.1");
    }

    @Test
    void aMalformedChecksumIsACatalogProblemNamingTheField() {
        TestCatalog c = TestCatalog.lockbox(tmp.resolve("catalog")).release("2.1", """
                version: "2.1"
                upgrade-from: ">=1.1"
                required-stop: true
                program-files-sha256: ABC
                migrations-sha256: 0000000000000000000000000000000000000000000000000000000000000000
                """);
        assertThatThrownBy(c::load).hasMessageContaining(c.file("releases/2.1/release.yaml") + ":4: program-files-sha256: must be 64 lower-case hex digits");
    }
}
