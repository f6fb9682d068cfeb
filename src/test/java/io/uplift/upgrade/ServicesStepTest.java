package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.Step;
import io.uplift.api.StepKind;
import io.uplift.api.UpgradeListener;
import io.uplift.catalog.TestCatalog;
import io.uplift.catalog.Version;
import io.uplift.journal.Journal;
import io.uplift.plan.Hop;
import io.uplift.plan.Plan;
import io.uplift.plan.Planner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services steps with a stand-in for app/bin/lockbox that records each call (and what the
 * node gate's marker said at that moment): a rollback through several hops starts the services
 * once, where it ends, and every start by the upgrade carries the marker naming the version.
 */
class ServicesStepTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:34:56Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    StepFixture fixture;
    Plan plan;
    Journal journal;
    Path calls;

    @BeforeEach
    void upgradeFrom10To21() throws Exception {
        // No services.account: the stand-in runs as this test's user.
        fixture = new StepFixture(dir, TestCatalog.LOCKBOX_PRODUCT.replace("  account: lockbox\n", "")
                + "  status: [app/bin/lockbox, status]\n");
        plan = new Planner(fixture.catalog).plan(Version.parse("1.0"), Version.parse("2.1"), OptionalInt.of(10));
        journal = Journal.create(dir.resolve("journal.json"), CLOCK,
                new PlanJournal(fixture.catalog).start("lockbox", plan, dir.resolve("backups"), CLOCK));
        journal.factOnce(ServicesStep.WERE_RUNNING, "true");
        calls = dir.resolve("calls");
        Path script = Files.createDirectories(fixture.home.resolve("app/bin")).resolve("lockbox");
        Files.writeString(script, "#!/bin/sh\nmarker=$(cat .uplift/services-starting 2>/dev/null || echo none)\n"
                + "echo \"$1 marker=$marker\" >> " + calls + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private StepContext context(Hop hop, StepKind kind) {
        Step step = hop.steps().stream().filter(s -> s.kind() == kind).findFirst().orElseThrow();
        return new StepContext(fixture.home, fixture.catalog, hop, List.of(fixture.release(hop.to().toString())), step, journal, null,
                UpgradeListener.NONE, false);
    }

    private List<String> calls() throws Exception {
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    @Test
    void aRollbackStartsTheServicesOnlyWhereItEnds() throws Exception {
        Hop first = plan.hops().get(0);
        Hop last = plan.hops().get(plan.hops().size() - 1);
        assertThat(plan.hops()).hasSizeGreaterThan(1);

        new ServicesStep(false).undo(context(last, StepKind.STOP_SERVICES));
        assertThat(calls()).as("a later hop's undo starts nothing").isEmpty();

        new ServicesStep(false).undo(context(first, StepKind.STOP_SERVICES));
        assertThat(calls()).as("the first hop's undo starts the services, with the marker naming the installed version")
                .containsExactly("start marker=1.0");
        assertThat(fixture.home.resolve(".uplift/services-starting")).as("the marker is gone once the start returned").doesNotExist();
    }

    @Test
    void theUpgradeStopsWithoutAMarkerAndStartsWithOne() throws Exception {
        Hop last = plan.hops().get(plan.hops().size() - 1);
        new ServicesStep(false).apply(context(last, StepKind.STOP_SERVICES));
        new ServicesStep(true).apply(context(last, StepKind.START_SERVICES));
        new ServicesStep(true).undo(context(last, StepKind.START_SERVICES));
        assertThat(calls()).containsExactly("status marker=none", "stop marker=none", "start marker=1.0", "stop marker=none");
    }
}
