package io.uplift.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.JournalView;
import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal the console shows: the upgrade in progress, else the last one that ended, else none. */
class JournalViewsTest {
    @TempDir
    Path uplift;

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T06:10:00Z"), ZoneOffset.UTC);

    private static UpgradeJournal journal(String id, String target, RunState state) {
        return new UpgradeJournal(id, "lockbox", "1.0", target, state, "sum", "20261207T060000Z-lockbox-1.0", false,
                "2026-12-07T06:00:00Z", "2026-12-07T06:05:00Z", "a message", "/catalog", "/backups", null, List.of(
                        new JournalStep("1.1/backup", "BACKUP", "1.0", "1.1", StepStatus.DONE, "2026-12-07T06:01:00Z",
                                "2026-12-07T06:02:00Z", 60_000, null),
                        new JournalStep("2.1/migrate-schema", "MIGRATE_SCHEMA", "1.1", "2.1", StepStatus.FAILED, "2026-12-07T06:03:00Z",
                                "2026-12-07T06:04:00Z", 1200, "division by zero")));
    }

    private void archived(String id, RunState state) {
        Journal.create(uplift.resolve("journal.json"), clock, journal(id, "2.1", state)).archive();
    }

    @Test
    void noJournalAndNoHistoryIsNoView() {
        assertThat(JournalViews.read(uplift)).isEmpty();
    }

    @Test
    void theJournalInProgressIsShownWithEveryStepAndItsHop() {
        Journal.create(uplift.resolve("journal.json"), clock, journal("20261207T060000Z-1.0-to-2.1", "2.1", RunState.FAILED));

        JournalView v = JournalViews.read(uplift).orElseThrow();

        assertThat(v.inProgress()).isTrue();
        assertThat(v.id()).isEqualTo("20261207T060000Z-1.0-to-2.1");
        assertThat(List.of(v.from(), v.target(), v.state(), v.message(), v.backupId(), v.startedAt(), v.updatedAt())).containsExactly(
                "1.0", "2.1", "FAILED", "a message", "20261207T060000Z-lockbox-1.0", "2026-12-07T06:00:00Z", "2026-12-07T06:05:00Z");
        assertThat(v.steps()).containsExactly(
                new JournalView.Entry("1.1/backup", "BACKUP", "1.0->1.1", "DONE", "2026-12-07T06:01:00Z", "2026-12-07T06:02:00Z", 60_000, null),
                new JournalView.Entry("2.1/migrate-schema", "MIGRATE_SCHEMA", "1.1->2.1", "FAILED", "2026-12-07T06:03:00Z",
                        "2026-12-07T06:04:00Z", 1200, "division by zero"));
    }

    @Test
    void withoutAJournalInProgressTheNewestOfTheHistoryIsShownAsEnded() {
        archived("20261201T090000Z-1.0-to-1.1", RunState.DONE);
        archived("20261207T060000Z-1.1-to-2.1", RunState.ROLLED_BACK);
        archived("20261203T090000Z-1.0-to-1.1", RunState.DONE);

        JournalView v = JournalViews.read(uplift).orElseThrow();

        assertThat(v.inProgress()).isFalse();
        assertThat(v.id()).isEqualTo("20261207T060000Z-1.1-to-2.1");
        assertThat(v.state()).isEqualTo("ROLLED_BACK");
    }

    @Test
    void theJournalInProgressWinsOverTheHistory() {
        archived("20261201T090000Z-1.0-to-1.1", RunState.DONE);
        Journal.create(uplift.resolve("journal.json"), clock, journal("20261207T060000Z-1.1-to-2.1", "2.1", RunState.RUNNING));

        assertThat(JournalViews.read(uplift).orElseThrow()).satisfies(v -> {
            assertThat(v.inProgress()).isTrue();
            assertThat(v.id()).isEqualTo("20261207T060000Z-1.1-to-2.1");
        });
    }

    @Test
    void aLinkAtTheJournalIsNotReadThroughAndADamagedJournalIsAnErrorNamingIt() throws Exception {
        Path elsewhere = uplift.resolve("elsewhere.json");
        Files.writeString(elsewhere, "{}");
        Files.createSymbolicLink(uplift.resolve("journal.json"), elsewhere);
        assertThat(JournalViews.read(uplift)).isEmpty();

        Files.delete(uplift.resolve("journal.json"));
        Files.writeString(uplift.resolve("journal.json"), "{\"id\": ");
        assertThatThrownBy(() -> JournalViews.read(uplift))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining(uplift.resolve("journal.json").toString());
    }
}
