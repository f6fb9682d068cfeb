package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.Uplift;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.api.PendingTask;
import io.uplift.journal.Journal;
import io.uplift.journal.JournalStep;
import io.uplift.journal.RunState;
import io.uplift.journal.StepStatus;
import io.uplift.journal.UpgradeJournal;
import io.uplift.testsupport.LockHolderJvm;
import io.uplift.testsupport.ShippedCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: which commands take the home lock and refuse beside an unfinished upgrade (items 3 and
 * 15), and bad input that got a stack trace or a wrong exit code (item 16). Through the real command
 * line, each with its exit code, a message saying what was found and what to do, and the home
 * exactly as it was. The lock is held by another process, as a running upgrade holds it.
 */
class Issue13LockAndInputTest {
    @TempDir
    Path dir;

    private Path home(String version) throws Exception {
        return FakeInstallation.create(dir.resolve("home"), version);
    }

    /** A journal as an upgrade 2.1 -> 3.0 leaves it when it fails after its database move. */
    private static void interruptedUpgrade(Path home) {
        List<JournalStep> steps = List.of(
                new JournalStep("3.0/move-database", "MOVE_DATABASE", "2.1", "3.0", StepStatus.DONE, null, null, 10, null),
                new JournalStep("3.0/migrate-schema", "MIGRATE_SCHEMA", "2.1", "3.0", StepStatus.FAILED, null, null, 10, "cut"));
        Journal.create(home.resolve(".uplift/journal.json"), Clock.systemUTC(), new UpgradeJournal("j", "lockbox", "2.1", "3.0",
                RunState.FAILED, "x", null, false, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "step failed",
                null, null, Map.of(), steps));
    }

    private static void withPendingTask(Path home) {
        InstallationState s = Installation.open(home).state();
        Installation.record(home, new InstallationState(s.product(), s.version(), s.catalog(), s.serviceAccount(), s.nodeLocalFiles(),
                s.managedDatabase(), List.of(new PendingTask("2.0", "update-taxonomies", "Update taxonomies", "automatic"))));
    }

    private static void assertRefusedForTheUpgrade(Run run) {
        assertThat(run.exit()).as(run.toString()).isEqualTo(15);
        assertThat(run.err()).contains("upgrade 2.1 -> 3.0").contains("uplift resume").contains("uplift rollback")
                .contains("Nothing was changed");
    }

    // ---- item 3: cleanup

    @Test
    void issue13_item3_cleanupDuringAnInterruptedUpgradeIsRefusedWithFifteenAndKeepsTheOldServerRollbackNeeds() throws Exception {
        Path home = home("3.0");
        interruptedUpgrade(home);
        Path oldServer = home.resolve("db/pg10");
        Files.createDirectories(oldServer);
        Files.writeString(oldServer.resolve("PG_VERSION"), "10\n");
        Map<String, String> before = FolderSnapshot.of(home, null);

        Run run = Run.of("cleanup", "--yes", "--home", home.toString());

        assertRefusedForTheUpgrade(run);
        assertThat(run.err()).contains("'uplift cleanup'");
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
        assertThat(oldServer.resolve("PG_VERSION")).exists();
    }

    @Test
    void issue13_item3_cleanupWhileAnotherProcessHoldsTheLockIsRefusedWithFifteenNamingIt() throws Exception {
        Path home = home("3.0");
        Files.createDirectories(home.resolve("db/pg10"));
        try (LockHolderJvm holder = LockHolderJvm.hold(home, "uplift upgrade --to 3.0")) {
            Map<String, String> before = FolderSnapshot.of(home, null);
            Run run = Run.of("cleanup", "--yes", "--home", home.toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(15);
            assertThat(run.err()).contains("pid " + holder.pid()).contains("uplift upgrade --to 3.0");
            assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
            // the facade takes the lock itself, whatever the command line checked before
            Uplift uplift = Uplift.configure().home(home).load();
            assertThatThrownBy(uplift::cleanup).isInstanceOf(UpliftException.class)
                    .satisfies(e -> assertThat(((UpliftException) e).code()).isEqualTo(ErrorCode.LOCKED));
            assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
        }
    }

    // ---- item 15: tasks, keys protect, backup

    @Test
    void issue13_item15_tasksRunAndTasksDoneWhileAnotherProcessHoldsTheLockExitFifteenAndChangeNothing() throws Exception {
        Path home = home("2.1");
        withPendingTask(home);
        try (LockHolderJvm holder = LockHolderJvm.hold(home, "uplift upgrade --to 3.0")) {
            Map<String, String> before = FolderSnapshot.of(home, null);
            Run run = Run.of("tasks", "run", "--yes", "--home", home.toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(15);
            assertThat(run.err()).contains("pid " + holder.pid()).contains("Wait for it to finish");
            Run done = Run.of("tasks", "done", "update-taxonomies", "--home", home.toString());
            assertThat(done.exit()).as(done.toString()).isEqualTo(15);
            assertThat(done.err()).contains("pid " + holder.pid());
            Uplift uplift = Uplift.configure().home(home).load();
            assertThatThrownBy(() -> uplift.runTasks(Optional.empty())).isInstanceOf(UpliftException.class)
                    .satisfies(e -> assertThat(((UpliftException) e).code()).isEqualTo(ErrorCode.LOCKED));
            assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
        }
        assertThat(Installation.open(home).state().pendingTasks()).hasSize(1);
    }

    @Test
    void issue13_item15_tasksRunAndTasksDoneDuringAnInterruptedUpgradeExitFifteenNamingResumeAndRollback() throws Exception {
        Path home = home("2.1");
        withPendingTask(home);
        interruptedUpgrade(home);
        Map<String, String> before = FolderSnapshot.of(home, null);

        Run run = Run.of("tasks", "run", "--yes", "--home", home.toString());
        Run done = Run.of("tasks", "done", "update-taxonomies", "--home", home.toString());

        assertRefusedForTheUpgrade(run);
        assertRefusedForTheUpgrade(done);
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
        assertThat(Installation.open(home).state().pendingTasks()).hasSize(1);
    }

    @Test
    void issue13_item15_keysProtectDuringAnInterruptedUpgradeExitsFifteenAndChangesNothing() throws Exception {
        Path home = home("2.1");
        interruptedUpgrade(home);
        Path keyFile = dir.resolve("secure/master.key");
        Map<String, String> before = FolderSnapshot.of(home, null);

        Run run = Run.of("keys", "protect", "--key-file", keyFile.toString(), "--yes", "--home", home.toString());

        assertRefusedForTheUpgrade(run);
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
        assertThat(keyFile).doesNotExist();
    }

    @Test
    void issue13_item15_backupLooksAtTheJournalOnlyOnceItHoldsTheLock() throws Exception {
        Path home = home("2.1");
        // What a reader sees of a journal in the middle of being replaced by hand or by a failing disk:
        // only under the lock may backup read it, and here the lock is another process's.
        Files.writeString(home.resolve(".uplift/journal.json"), "{ half written");
        try (LockHolderJvm holder = LockHolderJvm.hold(home, "uplift upgrade --to 3.0")) {
            Map<String, String> before = FolderSnapshot.of(home, null);
            Run run = Run.of("backup", "--home", home.toString(), "--backup-dir", dir.resolve("backups").toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(15);
            assertThat(run.err()).contains("pid " + holder.pid());
            assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
        }
    }

    // ---- item 16: bad input

    @Test
    void issue13_item16_aStateFileWithVersionAbcIsExitTwelveNamingTheFileAndFieldWithoutAStackTrace() throws Exception {
        Path home = home("1.0");
        Path state = home.resolve(".uplift/state.json");
        Files.writeString(state, Files.readString(state).replace("\"version\" : \"1.0\"", "\"version\" : \"abc\""));
        assertThat(Files.readString(state)).contains("\"abc\"");
        Map<String, String> before = FolderSnapshot.of(home, null);

        for (String[] args : List.of(new String[] {"plan", "--to", "3.0"}, new String[] {"status"}, new String[] {"tasks"},
                new String[] {"check", "--to", "3.0"})) {
            List<String> all = new java.util.ArrayList<>(List.of(args));
            all.addAll(List.of("--home", home.toString()));
            Run run = Run.of(all.toArray(String[]::new));
            assertThat(run.exit()).as(run.toString()).isEqualTo(12);
            assertThat(run.err()).as(run.toString()).contains(state.toString()).contains("installed version 'abc'")
                    .contains("restore it from the backup").doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
    }

    @Test
    void issue13_item16_aGraceBeyondTenYearsIsExitTwoNamingTheFlagAndRangeBeforeAnything() throws Exception {
        Path home = home("2.1");
        Map<String, String> before = FolderSnapshot.of(home, null);
        Run run = Run.of("keys", "rotate", "--grace", "400000000000d", "--yes", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--grace '400000000000d'").contains("0s to 3650d").contains("nothing was changed");
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
    }

    @Test
    void issue13_item16_tooManyRotationThreadsIsExitTwoNamingTheFlagAndRange() throws Exception {
        Path home = home("2.1");
        Map<String, String> before = FolderSnapshot.of(home, null);
        Run run = Run.of("keys", "rotate", "--threads", "100000", "--yes", "--home", home.toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--threads 100000").contains("1..64");
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
    }

    @Test
    void issue13_item16_aNulInACatalogPathIsExitTenNamingTheFileAndField() throws Exception {
        Path home = home("1.0");
        Path catalog = ShippedCatalog.copy(c -> {
            Path release = c.resolve("releases/1.1/release.yaml");
            Files.writeString(release, Files.readString(release).replaceFirst("(?m)^node-local-files:.*$",
                    "node-local-files: [\"config/a\\\\0b\"]").replaceFirst("(?m)^program-files: app$", "program-files: \"app\\\\0\""));
        });
        assertThat(Files.readString(catalog.resolve("releases/1.1/release.yaml"))).contains("\"app\\0\"").contains("config/a\\0b");
        Map<String, String> before = FolderSnapshot.of(home, null);

        Run run = Run.of("plan", "--to", "1.1", "--home", home.toString(), "--catalog", catalog.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(10);
        assertThat(run.err()).contains(catalog.resolve("releases/1.1/release.yaml").toString()).contains("node-local-files")
                .contains("program-files").contains("NUL").doesNotContain("Exception");
        assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
    }

    @Test
    void issue13_item16_anOverflowingMoveTargetOrDiskSizeIsExitTenNamingTheFileAndField() throws Exception {
        Path home = home("2.1");
        for (String[] edit : List.of(new String[] {"move-database-to: 16", "move-database-to: 4294967312"},
                new String[] {"move-database-to: 16", "move-database-to: 99999999999999999999"},
                new String[] {"java: \">=17\"", "java: \">=17\"\n  free-disk-mb: 9223372036854775807"})) {
            Path catalog = ShippedCatalog.copy(c -> {
                Path release = c.resolve("releases/3.0/release.yaml");
                Files.writeString(release, Files.readString(release).replace(edit[0], edit[1]));
            });
            String field = edit[1].trim().replaceAll("(?s).*\\n\\s*", "").replaceAll(":.*", "");
            Map<String, String> before = FolderSnapshot.of(home, null);

            Run run = Run.of("plan", "--to", "3.0", "--home", home.toString(), "--catalog", catalog.toString());

            assertThat(run.exit()).as(edit[1] + "\n" + run).isEqualTo(10);
            assertThat(run.err()).as(run.toString()).contains(catalog.resolve("releases/3.0/release.yaml").toString()).contains(field)
                    .doesNotContain("Exception");
            assertThat(FolderSnapshot.of(home, null)).isEqualTo(before);
        }
    }
}
