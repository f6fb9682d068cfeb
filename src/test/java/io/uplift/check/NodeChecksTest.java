package io.uplift.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.CheckResult;
import io.uplift.api.CheckStatus;
import io.uplift.catalog.TestCatalog;
import io.uplift.install.DatabaseProbe;
import io.uplift.journal.HomeLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks that judge this node: Java, OS, disk, write access, lock and journal, node-local files, account. */
class NodeChecksTest {
    @TempDir
    Path dir;
    CheckFixture f;

    @BeforeEach
    void fixture() {
        f = new CheckFixture(dir, "1.0");
    }

    /** Lockbox 1.0, and a 1.1 that runs on Windows only, asks for a lot of disk and adds a node-local file. */
    private void demandingCatalog() {
        f.catalog = TestCatalog.at(dir.resolve("demanding")).product(TestCatalog.LOCKBOX_PRODUCT)
                .simpleRelease("1.0", "<1.0", false, List.of())
                .simpleRelease("1.1", ">=1.0", false, List.of(), "prerequisites:", "  os-family: windows",
                        "  free-disk-mb: 1000000000", "node-local-files:", "  - config/license.txt")
                .load();
    }

    @Test
    void aJavaOlderThanARelease3NeedsFailsNamingTheReleaseAndItsRange() {
        f.java = 11;

        CheckResult r = new JavaVersionCheck().run(f.to("3.0"));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.observed()).isEqualTo("Java 11 found, 3.0 needs Java >=17");
        assertThat(r.remedy()).contains("JAVA_HOME");
        f.java = 17;
        assertThat(new JavaVersionCheck().run(f.to("3.0")).status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void issue14_item7_theOsNameIsSortedIntoWindowsMacOrLinuxAndDarwinIsAMacThoughItContainsWin() {
        assertThat(OsFamilyCheck.family("Windows Server 2022")).isEqualTo("windows");
        assertThat(OsFamilyCheck.family("Mac OS X")).isEqualTo("mac");
        assertThat(OsFamilyCheck.family("Darwin")).isEqualTo("mac");
        assertThat(OsFamilyCheck.family("Linux")).isEqualTo("linux");
        assertThat(OsFamilyCheck.family("FreeBSD")).isEqualTo("linux");
    }

    @Test
    void aReleaseForAnotherOsFamilyFailsAndOnThatFamilyItPasses() {
        demandingCatalog();

        CheckResult linux = new OsFamilyCheck().run(f.to("1.1"));
        f.osName = "Windows Server 2022";
        CheckResult windows = new OsFamilyCheck().run(f.to("1.1"));

        assertThat(linux.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(linux.observed()).isEqualTo("Linux found, 1.1 runs on windows only");
        assertThat(windows.status()).isEqualTo(CheckStatus.PASS);
        assertThat(windows.observed()).isEqualTo("Windows Server 2022 (windows)");
    }

    @Test
    void enoughRoomForTheBackupPassesMeasuredAtTheNearestExistingFolder() {
        CheckResult r = new DiskSpaceCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.observed()).contains(" free at " + dir + ", the backup needs about 10 MB")
                .doesNotContain("database size unknown");
    }

    @Test
    void aDatabaseTooBigForTheFreeSpaceFailsSayingHowMuchToFree() {
        f.database = new DatabaseProbe(true, "", OptionalInt.of(10), "10.23", 1L << 60, Optional.empty());

        CheckResult r = new DiskSpaceCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.remedy()).matches("free \\d+ MB there, or pass another location with --backup-dir");
    }

    @Test
    void theFreeDiskAReleaseAsksForCountsAndAnUnansweredDatabaseIsSaidToHaveAnUnknownSize() {
        demandingCatalog();
        f.database = CheckFixture.UNREACHABLE;

        CheckResult r = new DiskSpaceCheck().run(f.to("1.1", OptionalInt.of(10)));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.observed()).contains("the releases ask for 1000000000 MB more").contains("(database size unknown: it did not answer)");
    }

    @Test
    void theSizeOfAFolderIsTheSumOfItsFilesAndAMissingFolderIsEmpty() throws Exception {
        Files.writeString(f.home.resolve("data/more"), "y".repeat(24));

        assertThat(DiskSpaceCheck.size(f.home.resolve("data"))).isEqualTo(1024);
        assertThat(DiskSpaceCheck.size(dir.resolve("none"))).isZero();
        assertThat(DiskSpaceCheck.existingAncestor(dir.resolve("a/b/c"))).isEqualTo(dir);
    }

    @Test
    void aHomeTheUserCanWritePassesNamingTheUser() {
        CheckResult r = new HomeWritableCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.observed()).isEqualTo("root can write " + f.home.toAbsolutePath().normalize());
    }

    @Test
    void noLockAndNoJournalPassesAndAnInterruptedUpgradeFailsPointingAtResumeAndRollback() throws Exception {
        assertThat(new NoUpgradeRunningCheck().run(f.to("2.1")).status()).isEqualTo(CheckStatus.PASS);

        Files.writeString(f.home.resolve(".uplift/journal.json"), "{}");
        CheckResult r = new NoUpgradeRunningCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.observed()).contains("an earlier upgrade was interrupted");
        assertThat(r.remedy()).contains("uplift resume").contains("uplift rollback");
    }

    @Test
    void aHeldLockFailsNamingItsHolder() {
        CheckContext c = f.to("2.1");
        try (HomeLock held = HomeLock.acquire(c.installation().lockFile(), "uplift upgrade --to 3.0")) {
            CheckResult r = new NoUpgradeRunningCheck().run(c);

            assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(r.observed()).startsWith("the installation is locked by pid ").contains("'uplift upgrade --to 3.0'");
        }
    }

    @Test
    void nodeLocalFilesAsRecordedPass() {
        CheckResult r = new NodeLocalFilesCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.observed()).isEqualTo("2 present and unchanged");
    }

    @Test
    void aChangedNodeLocalFileIsAWarningAndAMissingOneAFailure() throws Exception {
        Files.writeString(f.home.resolve("config/keyset.json"), "{\"edited\":true}\n");
        CheckResult changed = new NodeLocalFilesCheck().run(f.to("2.1"));
        Files.delete(f.home.resolve("config/database.properties"));
        CheckResult missing = new NodeLocalFilesCheck().run(f.to("2.1"));

        assertThat(changed.status()).isEqualTo(CheckStatus.WARN);
        assertThat(changed.observed()).isEqualTo("changed since Uplift recorded them: config/keyset.json");
        assertThat(missing.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(missing.observed()).endsWith(": config/database.properties");
        assertThat(missing.remedy()).startsWith("restore it from this node's own backup");
    }

    @Test
    void theNodeLocalFilesOfTheInstalledReleaseAreDeclaredButThoseOfLaterReleasesAreNot() {
        demandingCatalog();
        assertThat(NodeLocalFilesCheck.declared(f.to("1.1"))).containsExactly("config/database.properties", "config/keyset.json");

        f.record("1.1", "root");
        f.database = CheckFixture.PG10;
        assertThat(NodeLocalFilesCheck.declared(f.to("1.1")))
                .containsExactly("config/database.properties", "config/keyset.json", "config/license.txt");
        CheckResult r = new NodeLocalFilesCheck().run(f.to("1.1"));
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.observed()).endsWith(": config/license.txt");
    }

    @Test
    void programFilesOwnedByAnotherAccountThanRecordedFailWithTheChownThatFixesIt() {
        f.record("1.0", "lockbox");

        CheckResult r = new ServiceAccountCheck().run(f.to("2.1"));

        Path app = f.home.toAbsolutePath().normalize().resolve("app");
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.observed()).isEqualTo(app + " belongs to root but the services ran as lockbox when Uplift recorded them");
        assertThat(r.remedy()).contains("chown -R lockbox " + app);
    }

    @Test
    void servicesRunningAsAnotherAccountThanTheVendorNamesIsAWarning() {
        CheckResult r = new ServiceAccountCheck().run(f.to("2.1"));

        assertThat(r.status()).isEqualTo(CheckStatus.WARN);
        assertThat(r.observed()).isEqualTo("the services run as root, the vendor expects lockbox");
    }

    @Test
    void withoutAVendorAccountTheRecordedOwnerPassesAndAMissingProgramFolderFails() throws Exception {
        f.catalog = TestCatalog.lockbox(dir.resolve("no-account")).product(TestCatalog.LOCKBOX_PRODUCT.replace("  account: lockbox\n", "")).load();

        assertThat(new ServiceAccountCheck().run(f.to("2.1")).observed()).isEqualTo("the services run as root, as recorded");

        Files.delete(f.home.resolve("app/VERSION"));
        Files.delete(f.home.resolve("app"));
        CheckResult r = new ServiceAccountCheck().run(f.to("2.1"));
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.observed()).startsWith("cannot read the owner of ");
    }
}
