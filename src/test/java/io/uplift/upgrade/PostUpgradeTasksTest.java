package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.ObsoleteDependency;
import io.uplift.api.PendingTask;
import io.uplift.api.TaskOutcome;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.TestCatalog;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tasks an upgrade left, without a database: what 'uplift tasks done' (the console's Mark done)
 * records, what it refuses and leaves as it was, and the manual task 'tasks run' does not pretend to
 * run. Running an automatic task's SQL is covered against a real server by ConsoleTokensTasksIT.
 */
class PostUpgradeTasksTest {
    private static final PendingTask AUTOMATIC = new PendingTask("2.0", "update-taxonomies", "Update taxonomies", "automatic");
    private static final PendingTask MANUAL = new PendingTask("2.0", "review-tokens", "Review the v1 tokens", "manual");

    @TempDir
    Path dir;

    private Path home;
    private Catalog catalog;

    @BeforeEach
    void installedAtTwoZeroWithBothTasksPending() throws Exception {
        TestCatalog written = TestCatalog.lockbox(dir.resolve("catalog"));
        catalog = written.load();
        home = Files.createDirectories(dir.resolve("home"));
        installed("2.0", List.of(AUTOMATIC, MANUAL));
    }

    private void installed(String version, List<PendingTask> pending) {
        Installation.record(home, new InstallationState("lockbox", version, dir.resolve("catalog").toString(), "lockbox", Map.of(), null,
                pending));
    }

    private PostUpgradeTasks tasks() {
        return new PostUpgradeTasks(home, catalog);
    }

    private byte[] stateBytes() throws Exception {
        return Files.readAllBytes(home.resolve(InstallationState.FILE));
    }

    @Test
    void markingAManualTaskDoneRemovesThatTaskAloneAndSaysSo() {
        TaskOutcome outcome = tasks().done("review-tokens");

        assertThat(outcome).isEqualTo(new TaskOutcome("2.0", "review-tokens", "Review the v1 tokens", true, "marked done"));
        assertThat(tasks().pending()).containsExactly(AUTOMATIC);
        assertThat(Installation.open(home).state().version()).isEqualTo("2.0");
    }

    @Test
    void markingAnUnknownTaskDoneNamesThePendingOnesAndChangesNothing() throws Exception {
        byte[] before = stateBytes();

        assertThatThrownBy(() -> tasks().done("review-token"))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE))
                .hasMessageContaining("No pending task 'review-token'")
                .hasMessageContaining("update-taxonomies, review-tokens");
        assertThat(stateBytes()).isEqualTo(before);
    }

    @Test
    void aTaskDoneOnceIsNoLongerPendingTheSecondTime() {
        tasks().done("review-tokens");

        assertThatThrownBy(() -> tasks().done("review-tokens")).hasMessageContaining("No pending task 'review-tokens'")
                .hasMessageContaining("the pending ones are: update-taxonomies.");
    }

    @Test
    void runningAManualTaskLeavesItPendingAndSaysHowToConfirmIt() throws Exception {
        byte[] before = stateBytes();

        List<TaskOutcome> outcomes = tasks().runAutomatic(Optional.of("review-tokens"));

        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.done()).isFalse();
            assertThat(o.detail()).contains("uplift tasks done review-tokens");
        });
        assertThat(stateBytes()).isEqualTo(before);
    }

    @Test
    void markingDoneIsRefusedWhileAnUpgradeIsUnfinishedAndChangesNothing() throws Exception {
        Installation inst = Installation.open(home);
        Files.createDirectories(inst.journalFile().getParent());
        Files.writeString(inst.journalFile(), "{not a journal");
        byte[] before = stateBytes();

        assertThatThrownBy(() -> tasks().done("review-tokens"))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED))
                .hasMessageContaining("'uplift tasks done review-tokens' refuses to run beside it")
                .hasMessageContaining("uplift resume");
        assertThat(stateBytes()).isEqualTo(before);
    }

    @Test
    void theObsoleteDependenciesAreThoseOfTheReleasesInstalledSoFar() {
        assertThat(tasks().obsoleteDependencies()).isEmpty();

        installed("3.0", List.of());

        assertThat(tasks().obsoleteDependencies()).extracting(ObsoleteDependency::id).containsExactly("postgresql-10");
    }
}
