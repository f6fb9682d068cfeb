package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.catalog.TestCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, item 14: every release declares both checksums, and 'uplift catalog checksum' computes them. */
class CatalogChecksumCliTest {
    private static final String RELEASE_1_1 = """
            version: "1.1"
            upgrade-from: ">=1.0"
            required-stop: false
            migrations: migrations
            program-files: app
            post-upgrade-tasks:
              - {id: fix, mode: automatic, sql: "UPDATE events SET severity = 1"}
            """;

    @TempDir
    Path dir;

    @Test
    void issue13_item14_aReleaseWithoutItsChecksumsIsRefusedWithExitTenNamingTheFieldAndTheCommand() throws Exception {
        Path home = FakeInstallation.create(dir.resolve("home"), "1.0");
        TestCatalog catalog = TestCatalog.lockbox(dir.resolve("catalog")).releaseWithoutChecksums("1.1", RELEASE_1_1);
        Path before = catalog.file("releases/1.1/release.yaml");
        String yaml = Files.readString(before);

        Run run = Run.of("plan", "--to", "1.1", "--home", home.toString(), "--catalog", catalog.root().toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(10);
        assertThat(run.err()).contains(catalog.file("releases/1.1/release.yaml") + ":1: program-files-sha256: is missing")
                .contains("migrations-sha256: is missing")
                .contains("uplift catalog checksum " + catalog.file("releases/1.1"));
        assertThat(Files.readString(before)).isEqualTo(yaml);
    }

    @Test
    void theLinesTheChecksumCommandPrintsMakeTheReleaseValid() throws Exception {
        Path home = FakeInstallation.create(dir.resolve("home"), "1.0");
        TestCatalog catalog = TestCatalog.lockbox(dir.resolve("catalog")).releaseWithoutChecksums("1.1", RELEASE_1_1);

        Run checksum = Run.of("catalog", "checksum", catalog.file("releases/1.1").toString());
        assertThat(checksum.exit()).as(checksum.toString()).isZero();
        assertThat(checksum.out()).containsPattern("(?m)^program-files-sha256: [0-9a-f]{64}\\R^migrations-sha256: [0-9a-f]{64}$");
        Files.writeString(catalog.file("releases/1.1/release.yaml"), RELEASE_1_1 + checksum.out());

        Run plan = Run.of("plan", "--to", "1.1", "--home", home.toString(), "--catalog", catalog.root().toString());
        assertThat(plan.exit()).as(plan.toString()).isZero();

        Run app = Run.of("catalog", "checksum", catalog.file("releases/1.1/app").toString());
        assertThat(app.out().strip()).as("a program folder alone gives its checksum alone, as before")
                .isEqualTo(checksum.out().lines().findFirst().orElseThrow().substring("program-files-sha256: ".length()));
    }
}
