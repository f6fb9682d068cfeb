package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the real command line, each with its documented exit code, a message naming
 * what is wrong, and the home exactly as it was. The database here is unreachable on purpose.
 */
class BadInputTest {
    @TempDir
    Path dir;

    private Path home(String version) throws Exception {
        return FakeInstallation.create(dir.resolve("home"), version);
    }

    @Test
    void aDowngradeIsRefusedWithExitElevenAndNothingChanges() throws Exception {
        Path home = home("2.1");
        Map<String, String> before = FolderSnapshot.of(home, null);
        Run run = Run.of("plan", "--to", "1.1", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(11);
        assertThat(run.err()).contains("2.1 is installed").contains("does not downgrade").contains("uplift rollback");
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
    }

    @Test
    void anUnknownTargetListsTheKnownVersions() throws Exception {
        Run run = Run.of("plan", "--to", "9.0", "--home", home("1.0").toString());
        assertThat(run.exit()).isEqualTo(11);
        assertThat(run.err()).contains("9.0 is not in the release catalog").contains("1.0, 1.1, 2.0, 2.1, 2.2, 3.0");
    }

    @Test
    void aTargetThatIsNotAVersionIsAUsageError() throws Exception {
        Run run = Run.of("plan", "--to", "latest", "--home", home("1.0").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--to").contains("'latest' is not a version");
    }

    @Test
    void anUnknownInstalledVersionIsExitTwelveNamingTheCatalog() throws Exception {
        Path home = home("1.5");
        Map<String, String> before = FolderSnapshot.of(home, null);
        Run run = Run.of("check", "--to", "3.0", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(12);
        assertThat(run.err()).contains("installed version 1.5 is not in the release catalog").contains("--catalog");
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
    }

    @Test
    void anUnreachableDatabaseFailsTheCheckWithExitFourAndChangesNothing() throws Exception {
        Path home = home("2.1");
        Map<String, String> before = FolderSnapshot.of(home, null);
        Run run = Run.of("check", "--to", "3.0", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(4);
        assertThat(run.out()).contains("[FAIL] Database reachable: jdbc:postgresql://127.0.0.1:1/lockbox does not answer")
                .contains("what to do:");
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
    }

    @Test
    void statusReportsAnUnreachableDatabaseInsteadOfFailing() throws Exception {
        Run run = Run.of("status", "--json", "--home", home("1.0").toString());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\"reachable\" : false").contains("\"schemaVersion\" : \"unknown\"");
    }

    @Test
    void aMissingNodeLocalFileFailsTheCheckNamingTheFile() throws Exception {
        Path home = home("1.0");
        Files.delete(home.resolve("config/keyset.json"));
        Map<String, String> before = FolderSnapshot.of(home, null);
        Run run = Run.of("check", "--to", "1.1", "--home", home.toString(), "--json");
        assertThat(run.exit()).as(run.toString()).isEqualTo(4);
        assertThat(run.out()).contains("\"id\" : \"node-local-files\"").contains("missing in " + home + ": config/keyset.json")
                .contains("never copy node-local files from another node");
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
    }

    @Test
    void aChangedNodeLocalFileIsAWarning() throws Exception {
        Path home = home("1.0");
        Files.writeString(home.resolve("config/keyset.json"), "edited by hand\n");
        Run run = Run.of("status", "--home", home.toString());
        assertThat(run.out()).containsPattern("config/keyset.json\\s+changed");
    }

    @Test
    void aMalformedCatalogIsExitTenWithFileAndLine() throws Exception {
        Path home = home("1.0");
        Path catalog = dir.resolve("catalog");
        Files.createDirectories(catalog.resolve("releases/1.0/app"));
        Files.writeString(catalog.resolve("product.yaml"), "product: lockbox\ndatabase: lockbox\n");
        Files.writeString(catalog.resolve("releases/1.0/release.yaml"), "version: \"1.0\"\nupgrade-from: [unclosed\n");
        Run run = Run.of("plan", "--to", "1.0", "--home", home.toString(), "--catalog", catalog.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(10);
        assertThat(run.err()).contains(catalog.resolve("releases/1.0/release.yaml") + ":3").contains("not valid YAML");
    }

    @Test
    void theDemoRefusesAFolderThatIsNotEmptyAndLeavesItAlone() throws Exception {
        Path used = dir.resolve("used");
        Files.createDirectories(used);
        Files.writeString(used.resolve("notes.txt"), "mine\n");
        Map<String, String> before = FolderSnapshot.of(used, null);
        // The source catalog: unit tests run before the build assembles the one with Lockbox's jars.
        Run run = Run.of("demo", "--prepare-only", "--home", used.toString(), "--events", "10", "--catalog",
                io.uplift.api.DemoSettings.shippedCatalog().toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(12);
        assertThat(run.err()).contains(used.toString()).contains("is not empty");
        assertThat(FolderSnapshot.of(used, null)).isEqualTo(before);
    }

    @Test
    void aNegativeEventCountIsAUsageError() throws Exception {
        Run run = Run.of("demo", "--prepare-only", "--home", dir.resolve("x").toString(), "--events", "-5");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--events");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void aProgramFolderOwnedByAnotherAccountThanRecordedFailsTheServiceAccountCheck() throws Exception {
        Path home = home("1.0");
        io.uplift.install.Installation inst = io.uplift.install.Installation.open(home);
        var s = inst.state();
        io.uplift.install.Installation.record(home, new io.uplift.install.InstallationState(s.product(), s.version(), s.catalog(),
                "lockbox-svc", s.nodeLocalFiles(), s.managedDatabase(), s.pendingTasks()));
        Run run = Run.of("check", "--to", "1.1", "--home", home.toString());
        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.out()).contains("[FAIL] Service account").contains("the services ran as lockbox-svc")
                .contains("chown -R lockbox-svc");
    }

    @Test
    void aSecondCommandWhileTheLockIsHeldFailsTheCheckNamingTheHolder() throws Exception {
        Path home = home("1.0");
        try (var lock = io.uplift.journal.HomeLock.tryAcquire(home.resolve(".uplift/lock"), "uplift upgrade --to 2.1").orElseThrow()) {
            Run run = Run.of("check", "--to", "1.1", "--home", home.toString());
            assertThat(run.exit()).isEqualTo(4);
            assertThat(run.out()).contains("[FAIL] No other upgrade running: the installation is locked by pid "
                    + ProcessHandle.current().pid()).contains("uplift upgrade --to 2.1");
            Run status = Run.of("status", "--home", home.toString());
            assertThat(status.out()).contains("Upgrade        running");
        }
        Run after = Run.of("status", "--home", home.toString());
        assertThat(after.out()).contains("Upgrade        none");
    }

    @Test
    void anInterruptedUpgradeLeftAJournalThatTheCheckAndStatusReport() throws Exception {
        Path home = home("1.0");
        Files.writeString(home.resolve(".uplift/journal.json"), "{}");
        Run run = Run.of("check", "--to", "1.1", "--home", home.toString());
        assertThat(run.out()).contains("an earlier upgrade was interrupted").contains("uplift resume");
        assertThat(Run.of("status", "--home", home.toString()).out()).contains("Upgrade        interrupted");
    }
}
