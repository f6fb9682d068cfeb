package io.uplift.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upgrade journal: every change is on disk when the method returns, and reads back as written. */
class JournalTest {
    @TempDir
    Path dir;

    /** A clock a test moves forward by hand, so every timestamp in the journal is known. */
    static final class StepClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T10:00:00Z");

        void advanceSeconds(long s) {
            now = now.plusSeconds(s);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final StepClock clock = new StepClock();

    private Path file() {
        return dir.resolve(".uplift/journal.json");
    }

    private static UpgradeJournal initial() {
        return new UpgradeJournal("u-1", "lockbox", "1.0", "2.1", RunState.RUNNING, "abc123", null, false,
                "2026-01-01T10:00:00Z", "2026-01-01T10:00:00Z", "", "/catalog", "/backups", null, List.of(
                        new JournalStep("1.1/backup", "BACKUP", "1.0", "1.1", StepStatus.PENDING, null, null, 0, null),
                        new JournalStep("1.1/swap", "SWAP_PROGRAM_FILES", "1.0", "1.1", StepStatus.PENDING, null, null, 0, null)));
    }

    private UpgradeJournal reread() {
        return Journal.open(file(), clock).orElseThrow().get();
    }

    @Test
    void aCreatedJournalReadsBackExactlyAsWrittenWithNoFactsAsAnEmptyMap() {
        Journal.create(file(), clock, initial());

        UpgradeJournal back = reread();

        assertThat(back).isEqualTo(initial());
        assertThat(back.facts()).isEmpty();
        assertThat(back.steps()).extracting(JournalStep::id).containsExactly("1.1/backup", "1.1/swap");
    }

    @Test
    void openingWhereNoJournalIsGivesNothingAndCreatesNothing() {
        assertThat(Journal.open(file(), clock)).isEmpty();
        assertThat(file()).doesNotExist();
    }

    @Test
    void eachChangeIsOnDiskBeforeTheMethodReturnsAndStampsTheUpdateTime() {
        Journal journal = Journal.create(file(), clock, initial());

        clock.advanceSeconds(5);
        journal.backupId("b-42");
        assertThat(reread().backupId()).isEqualTo("b-42");
        assertThat(reread().updatedAt()).isEqualTo("2026-01-01T10:00:05Z");

        clock.advanceSeconds(5);
        journal.state(RunState.PAUSED, "paused by SIGTERM");
        assertThat(reread().state()).isEqualTo(RunState.PAUSED);
        assertThat(reread().message()).isEqualTo("paused by SIGTERM");
        assertThat(reread().backupId()).as("earlier changes are kept").isEqualTo("b-42");

        journal.databaseRestored();
        assertThat(reread().databaseRestored()).isTrue();
        journal.databaseRestored(false);
        assertThat(reread().databaseRestored()).isFalse();
        assertThat(reread().startedAt()).as("the start time never moves").isEqualTo("2026-01-01T10:00:00Z");
        assertThat(journal.get()).isEqualTo(reread());
    }

    @Test
    void aFactIsRecordedOnceAndARepeatedStepKeepsTheFirstObservation() {
        Journal journal = Journal.create(file(), clock, initial());

        journal.factOnce("services-were-running", "true");
        journal.factOnce("services-were-running", "false");
        journal.factOnce("maintenance-was-on", "false");

        assertThat(reread().facts()).containsExactlyInAnyOrderEntriesOf(
                Map.of("services-were-running", "true", "maintenance-was-on", "false"));
    }

    @Test
    void aStepGoesFromStartedToDoneWithItsStartEndAndApplyTimeWhileOtherStepsStayPending() {
        Journal journal = Journal.create(file(), clock, initial());

        journal.step("1.1/backup", StepStatus.STARTED, 0, null);
        clock.advanceSeconds(3);
        journal.step("1.1/backup", StepStatus.DONE, 3000, null);

        JournalStep done = reread().steps().get(0);
        assertThat(done.status()).isEqualTo(StepStatus.DONE);
        assertThat(done.startedAt()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(done.endedAt()).isEqualTo("2026-01-01T10:00:03Z");
        assertThat(done.millis()).isEqualTo(3000);
        assertThat(done.error()).isNull();
        assertThat(reread().steps().get(1).status()).isEqualTo(StepStatus.PENDING);
    }

    @Test
    void aFailedStepKeepsItsErrorAndUndoingItClearsTheEndAndTheErrorButKeepsTheApplyTime() {
        Journal journal = Journal.create(file(), clock, initial());
        journal.step("1.1/swap", StepStatus.STARTED, 0, null);
        clock.advanceSeconds(1);
        journal.step("1.1/swap", StepStatus.FAILED, 1000, "disk full");
        assertThat(reread().steps().get(1)).extracting(JournalStep::status, JournalStep::error)
                .containsExactly(StepStatus.FAILED, "disk full");

        clock.advanceSeconds(10);
        journal.step("1.1/swap", StepStatus.UNDOING, 0, null);
        JournalStep undoing = reread().steps().get(1);
        assertThat(undoing.status()).isEqualTo(StepStatus.UNDOING);
        assertThat(undoing.startedAt()).isEqualTo("2026-01-01T10:00:11Z");
        assertThat(undoing.endedAt()).isNull();
        assertThat(undoing.error()).isNull();
        assertThat(undoing.millis()).isEqualTo(1000);

        clock.advanceSeconds(1);
        journal.step("1.1/swap", StepStatus.UNDONE, 1000, null);
        assertThat(reread().steps().get(1)).extracting(JournalStep::status, JournalStep::endedAt)
                .containsExactly(StepStatus.UNDONE, "2026-01-01T10:00:12Z");
    }

    @Test
    void archivingMovesTheJournalToHistoryUnderItsIdSoNoUpgradeIsInProgressAfterwards() throws Exception {
        Journal journal = Journal.create(file(), clock, initial());
        journal.state(RunState.DONE, "upgraded to 2.1");

        Path archived = journal.archive();

        assertThat(archived).isEqualTo(dir.resolve(".uplift/history/u-1.json"));
        assertThat(file()).doesNotExist();
        assertThat(Journal.open(archived, clock).orElseThrow().get().state()).isEqualTo(RunState.DONE);
    }

    @Test
    void aJournalThatIsNotJsonIsRefusedAsAnInvalidInstallationNamingTheFileAndTheBackup() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"id\": \"u-1\", \"steps\": [");

        assertThatThrownBy(() -> Journal.open(file(), clock))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining(file().toString()).hasMessageContaining("restore the home from the backup");
    }

    @Test
    void aJournalThatCannotBeWrittenFailsTheUpgradeNamingTheFileAndKeepsTheLastDurableState() throws Exception {
        Journal journal = Journal.create(file(), clock, initial());
        // A folder where the temporary file would go makes every later write fail.
        Files.delete(file());
        Files.delete(file().getParent());
        Files.writeString(file().getParent(), "not a folder");

        assertThatThrownBy(() -> journal.state(RunState.FAILED, "x"))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UPGRADE_FAILED))
                .hasMessageContaining(file().toString()).hasMessageContaining("uplift resume");
        assertThat(journal.get().state()).as("the in-memory copy follows only what reached the disk").isEqualTo(RunState.RUNNING);
    }

    @Test
    void writesLeaveNoTemporaryFilesBesideTheJournal() throws Exception {
        Journal journal = Journal.create(file(), clock, initial());
        for (int i = 0; i < 5; i++) {
            journal.factOnce("k" + i, "v");
        }
        try (Stream<Path> files = Files.list(file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("journal.json");
        }
    }
}
