package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.catalog.TestCatalog;
import io.uplift.catalog.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resume refuses a catalog edited since the upgrade started: every part it was started with counts. */
class PlanChecksumTest {
    private static final List<String> IDS = List.of("1.1/checks", "1.1/backup", "1.1/swap-program-files");

    @TempDir
    Path dir;
    Catalog catalog;
    List<Release> releases;
    String before;

    @BeforeEach
    void catalog() {
        catalog = TestCatalog.lockbox(dir.resolve("catalog")).load();
        releases = List.of(release("1.1"), release("2.1"));
        before = PlanChecksum.of(IDS, releases);
    }

    private Release release(String v) {
        return catalog.release(Version.parse(v)).orElseThrow();
    }

    @Test
    void theSameStepsAndReleasesAlwaysGiveTheSameChecksum() {
        assertThat(PlanChecksum.of(List.copyOf(IDS), List.of(release("1.1"), release("2.1")))).isEqualTo(before).hasSize(64);
    }

    @Test
    void otherStepsOrTheSameStepsInAnotherOrderGiveAnotherChecksum() {
        assertThat(PlanChecksum.of(List.of("1.1/checks", "1.1/backup"), releases)).isNotEqualTo(before);
        assertThat(PlanChecksum.of(List.of("1.1/backup", "1.1/checks", "1.1/swap-program-files"), releases)).isNotEqualTo(before);
        assertThat(PlanChecksum.of(IDS, List.of(release("1.1")))).isNotEqualTo(before);
    }

    @Test
    void anEditedReleaseYamlGivesAnotherChecksum() throws Exception {
        Path yaml = release("2.1").folder().resolve("release.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("A required stop", "An edited stop"));

        assertThat(PlanChecksum.of(IDS, releases)).isNotEqualTo(before);
    }

    @Test
    void anEditedMigrationGivesAnotherChecksum() throws Exception {
        Files.writeString(release("1.1").migrations().resolve("V1_1_0_001__change.sql"), "SELECT 2;\n");

        assertThat(PlanChecksum.of(IDS, releases)).isNotEqualTo(before);
    }

    @Test
    void anEditedProgramFileGivesAnotherChecksum() throws Exception {
        Files.writeString(release("2.1").programFiles().resolve("VERSION"), "2.1.1\n");

        assertThat(PlanChecksum.of(IDS, releases)).isNotEqualTo(before);
    }
}
