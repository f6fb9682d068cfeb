package io.uplift.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.CheckReport;
import io.uplift.api.CheckResult;
import io.uplift.api.CheckStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseAndPreflightTest {
    @TempDir
    Path dir;
    CheckFixture f;

    @BeforeEach
    void fixture() {
        f = new CheckFixture(dir, "1.0");
    }

    private Path release(String version) {
        return f.catalog.release(io.uplift.catalog.Version.parse(version)).orElseThrow().folder();
    }

    @Test
    void intactReleasePackagesPassCountingTheReleasesOnThePath() {
        CheckResult r = new ReleasePackagesCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.observed()).isEqualTo("2 release packages match their checksums");
    }

    @Test
    void aChangedProgramFileFailsNamingTheReleaseAndItsFolder() throws Exception {
        Files.writeString(release("2.1").resolve("app/VERSION"), "2.1-patched\n");

        CheckResult r = new ReleasePackagesCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.observed()).isEqualTo("the program files of 2.1 (" + release("2.1").resolve("app")
                + ") do not match the checksum in the catalog");
    }

    @Test
    void aChangedMigrationFailsNamingMigrationsSha256() throws Exception {
        Files.writeString(release("1.1").resolve("migrations/V1_1_0_001__change.sql"), "DROP TABLE secrets;\n");

        CheckResult r = new ReleasePackagesCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.observed()).startsWith("the migrations or post-upgrade task SQL of 1.1 (").endsWith("do not match migrations-sha256 in the catalog");
    }

    static final class Exploding implements PreflightCheck {
        @Override
        public CheckResult run(CheckContext context) {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void aCheckThatThrowsIsReportedAsFailedWithoutHidingTheChecksAfterIt() {
        CheckReport report = new Preflight(List.of(new Exploding(), new JavaVersionCheck())).run(f.to("2.1"));

        assertThat(report.results()).extracting(CheckResult::id, CheckResult::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Exploding", CheckStatus.FAIL),
                        org.assertj.core.groups.Tuple.tuple("java-version", CheckStatus.PASS));
        assertThat(report.results().get(0).observed()).isEqualTo("the check itself failed: boom");
    }

    @Test
    void theStandardChecksAreThoseOfAnUpgradePlusTheLockAndClusterChecksAndTheReportNamesThePlan() {
        f.database = CheckFixture.UNREACHABLE;
        CheckContext c = f.to("2.1", java.util.OptionalInt.of(10));

        CheckReport during = Preflight.duringUpgrade().run(c);
        CheckReport standard = Preflight.standard().run(c);

        List<String> duringIds = during.results().stream().map(CheckResult::id).toList();
        // The cluster check is not the upgrade's: in a primary-first cluster upgrade the other nodes are silent on purpose (issue 16).
        assertThat(duringIds).doesNotContain("no-upgrade-running", "cluster-nodes").doesNotHaveDuplicates().hasSize(10);
        assertThat(standard.results().stream().map(CheckResult::id).toList()).containsExactlyElementsOf(
                java.util.stream.Stream.concat(duringIds.stream(), java.util.stream.Stream.of("no-upgrade-running", "cluster-nodes")).toList());
        assertThat(standard.installed()).isEqualTo("1.0");
        assertThat(standard.target()).isEqualTo("2.1");
    }
}
