package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.catalog.TestCatalog;
import io.uplift.catalog.Version;
import io.uplift.plan.Hop;
import io.uplift.plan.Plan;
import io.uplift.plan.Planner;
import io.uplift.api.Step;
import io.uplift.api.StepKind;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepsTest {
    @TempDir
    Path dir;

    @Test
    void everyKindOfStepHasItsOwnImplementation() {
        Map<StepKind, Class<?>> expected = new EnumMap<>(StepKind.class);
        expected.put(StepKind.CHECKS, ChecksStep.class);
        expected.put(StepKind.BACKUP, BackupStep.class);
        expected.put(StepKind.MAINTENANCE_ON, MaintenanceStep.class);
        expected.put(StepKind.MAINTENANCE_OFF, MaintenanceStep.class);
        expected.put(StepKind.STOP_SERVICES, ServicesStep.class);
        expected.put(StepKind.START_SERVICES, ServicesStep.class);
        expected.put(StepKind.STAGE_PROGRAM_FILES, StageProgramFilesStep.class);
        expected.put(StepKind.CARRY_NODE_LOCAL_FILES, NodeLocalFilesStep.class);
        expected.put(StepKind.MIGRATE_SCHEMA, MigrateSchemaStep.class);
        expected.put(StepKind.SWAP_PROGRAM_FILES, SwapProgramFilesStep.class);
        expected.put(StepKind.RECORD_VERSION, RecordVersionStep.class);
        expected.put(StepKind.RECORD_NODE_VERSION, RecordNodeVersionStep.class);
        expected.put(StepKind.REGISTER_TASKS, RegisterTasksStep.class);
        expected.put(StepKind.MOVE_DATABASE, MoveDatabaseStep.class);
        expected.put(StepKind.ROTATE_KEYS, RotateKeysStep.class);
        expected.put(StepKind.EXPAND_SCHEMA, ExpandSchemaStep.class);
        expected.put(StepKind.RECORD_ROLLING_VERSION, RecordRollingVersionStep.class);

        assertThat(expected).containsOnlyKeys(StepKind.values());
        for (StepKind kind : StepKind.values()) {
            assertThat(Steps.of(kind)).as(kind.name()).isExactlyInstanceOf(expected.get(kind));
        }
    }

    @Test
    void everyHopRunsItsStepsInTheOrderOfTheStepKindsWithIdsUniqueAcrossThePlan() {
        Plan plan = new Planner(TestCatalog.lockbox(dir.resolve("catalog")).load())
                .plan(Version.parse("1.0"), Version.parse("3.0"), OptionalInt.of(10));

        List<String> ids = plan.hops().stream().flatMap(h -> h.steps().stream()).map(Step::id).toList();
        assertThat(ids).doesNotHaveDuplicates();
        for (Hop hop : plan.hops()) {
            assertThat(hop.steps()).extracting(Step::kind).isSortedAccordingTo(Comparator.naturalOrder());
            assertThat(hop.steps()).allSatisfy(s -> assertThat(s.id()).startsWith(hop.to() + "/"));
        }
        Hop last = plan.hops().get(plan.hops().size() - 1);
        assertThat(last.steps()).extracting(Step::kind).containsSubsequence(
                StepKind.MOVE_DATABASE, StepKind.STOP_SERVICES, StepKind.MIGRATE_SCHEMA, StepKind.ROTATE_KEYS,
                StepKind.SWAP_PROGRAM_FILES, StepKind.RECORD_VERSION, StepKind.START_SERVICES, StepKind.MAINTENANCE_OFF);
        assertThat(plan.hops().get(0).steps()).extracting(Step::kind)
                .startsWith(StepKind.CHECKS, StepKind.MAINTENANCE_ON, StepKind.BACKUP);
    }
}
