package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Version;
import io.uplift.journal.Journal;
import io.uplift.journal.JournalStep;
import io.uplift.journal.RunState;
import io.uplift.journal.StepStatus;
import io.uplift.journal.UpgradeJournal;
import io.uplift.plan.Plan;
import io.uplift.plan.Planner;
import io.uplift.api.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanJournalTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:34:56Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    StepFixture fixture;
    Plan plan;
    UpgradeJournal started;

    @BeforeEach
    void start() throws Exception {
        fixture = new StepFixture(dir);
        plan = new Planner(fixture.catalog).plan(Version.parse("1.0"), Version.parse("2.1"), OptionalInt.of(10));
        started = new PlanJournal(fixture.catalog).start("lockbox", plan, dir.resolve("backups"), CLOCK);
    }

    @Test
    void aNewJournalListsEveryStepOfEveryHopPendingInThePlansOrder() {
        assertThat(plan.hops()).hasSizeGreaterThan(1);
        assertThat(started.steps()).extracting(JournalStep::id)
                .containsExactlyElementsOf(plan.hops().stream().flatMap(h -> h.steps().stream()).map(Step::id).toList());
        assertThat(started.steps()).extracting(JournalStep::status).containsOnly(StepStatus.PENDING);
        assertThat(started.steps().get(0).hopFrom()).isEqualTo("1.0");
        assertThat(started.steps().get(started.steps().size() - 1).hopTo()).isEqualTo("2.1");
    }

    @Test
    void aNewJournalIsNamedByTheClockAndTheVersionsAndRecordsWhereItCameFrom() {
        assertThat(started.id()).isEqualTo("20260301T123456Z-1.0-to-2.1");
        assertThat(started.state()).isEqualTo(RunState.RUNNING);
        assertThat(started.from()).isEqualTo("1.0");
        assertThat(started.target()).isEqualTo("2.1");
        assertThat(started.catalog()).isEqualTo(fixture.catalog.folder().toString());
        assertThat(started.backupDir()).isEqualTo(dir.resolve("backups").toString());
        assertThat(started.planChecksum()).hasSize(64);
    }

    @Test
    void aResumeGoesOnWithTheSameCatalogAndIsRefusedWhenAReleaseWasEdited() throws Exception {
        Journal journal = Journal.create(dir.resolve("journal.json"), CLOCK, started);
        PlanJournal check = new PlanJournal(fixture.catalog);
        assertThatCode(() -> check.requireCatalogUnchanged(journal)).doesNotThrowAnyException();

        Path programFile = fixture.release("2.1").programFiles().resolve("VERSION");
        Files.writeString(programFile, "2.1.1\n");

        assertThatThrownBy(() -> check.requireCatalogUnchanged(journal)).isInstanceOfSatisfying(UpliftException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CATALOG_INVALID);
            assertThat(e.getMessage()).contains(fixture.catalog.folder().toString(), "upgrade to 2.1", "uplift rollback");
        });
    }
}
