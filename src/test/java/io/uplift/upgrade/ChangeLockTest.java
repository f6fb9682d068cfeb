package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.journal.HomeLock;
import io.uplift.journal.Journal;
import io.uplift.journal.JournalStep;
import io.uplift.journal.RunState;
import io.uplift.journal.UpgradeJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands that change the installation outside an upgrade never run beside another command or an unfinished upgrade. */
class ChangeLockTest {
    @TempDir
    Path dir;
    Installation inst;

    @BeforeEach
    void home() {
        inst = Installation.record(dir.resolve("home"), new InstallationState("lockbox", "1.0", null, null, Map.of(), null, List.of()));
    }

    private static void locked(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String... parts) {
        var assertion = assertThatThrownBy(call)
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED));
        for (String part : parts) {
            assertion.hasMessageContaining(part);
        }
    }

    @Test
    void withNoOtherCommandAndNoJournalTheLockIsTakenAndHeld() {
        try (HomeLock lock = ChangeLock.take(inst, "uplift cleanup")) {
            assertThat(HomeLock.holder(inst.lockFile())).hasValueSatisfying(h -> assertThat(h).contains("'uplift cleanup'"));
        }
        assertThatCode(() -> ChangeLock.check(inst, "uplift cleanup")).doesNotThrowAnyException();
    }

    @Test
    void anUnfinishedUpgradeIsNamedWithItsHopAndStateAndTheLockFileIsNotEvenCreated() {
        Journal.create(inst.journalFile(), Clock.systemUTC(), new UpgradeJournal("u-1", "lockbox", "1.0", "2.1", RunState.FAILED,
                "c", null, false, "", "", "", "", "", Map.of(), List.<JournalStep>of()));

        locked(() -> ChangeLock.take(inst, "uplift tasks run"), "The upgrade 1.0 -> 2.1 (failed) is under way or was interrupted",
                "'uplift tasks run' refuses to run beside it", "uplift resume", "uplift rollback", "Nothing was changed");
        locked(() -> ChangeLock.check(inst, "uplift tasks run"), "The upgrade 1.0 -> 2.1 (failed)");
        assertThat(inst.lockFile()).doesNotExist();
    }

    @Test
    void aJournalThatCannotBeReadStillRefusesSayingSo() throws Exception {
        Files.writeString(inst.journalFile(), "not json");

        locked(() -> ChangeLock.take(inst, "uplift cleanup"), "An upgrade (its journal cannot be read) is under way");
    }

    @Test
    void anotherCommandHoldingTheLockIsNamedBeforeAnyQuestionIsAsked() {
        try (HomeLock held = HomeLock.acquire(inst.lockFile(), "uplift upgrade --to 2.1")) {
            locked(() -> ChangeLock.check(inst, "uplift keys protect"), "'uplift upgrade --to 2.1'",
                    "'uplift keys protect' refuses to run beside it");
            locked(() -> ChangeLock.take(inst, "uplift keys protect"), "'uplift upgrade --to 2.1'");
        }
    }
}
