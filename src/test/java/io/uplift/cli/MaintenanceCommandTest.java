package io.uplift.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.Uplift;
import io.uplift.api.ErrorCode;
import io.uplift.api.MaintenanceState;
import io.uplift.api.UpliftException;
import io.uplift.journal.Journal;
import io.uplift.journal.JournalStep;
import io.uplift.journal.RunState;
import io.uplift.journal.StepStatus;
import io.uplift.journal.UpgradeJournal;
import io.uplift.testsupport.LockHolderJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 'uplift maintenance': the state it shows, its bad input, and its refusals before it touches the
 * database (another command holds the home, an upgrade is unfinished). Turning it on and off against
 * a real database is MaintenanceByHandIT's.
 */
class MaintenanceCommandTest {
    @TempDir
    Path dir;

    private Path home() throws Exception {
        return FakeInstallation.create(dir.resolve("home"), "1.0");
    }

    @Test
    void withoutOnOrOffItShowsTheStateFromTheFlagFile() throws Exception {
        Path home = home();
        Run off = Run.of("maintenance", "--home", home.toString());
        assertThat(off.exit()).as(off.toString()).isZero();
        assertThat(off.out()).contains("Maintenance    off");

        Files.writeString(home.resolve(".uplift/maintenance"), "since 2026-12-07T06:00:00Z: upgrade u-1 to 2.1\n");
        Run on = Run.of("maintenance", "--home", home.toString());
        assertThat(on.out()).contains("Maintenance    on since 2026-12-07T06:00:00Z: upgrade u-1 to 2.1");
        assertThat(Uplift.configure().home(home).load().maintenance()).isEqualTo(
                new MaintenanceState(true, "2026-12-07T06:00:00Z", "upgrade u-1 to 2.1", 0));
    }

    @Test
    void anythingButOnOrOffAndAReasonWithOffAreUsageErrors() throws Exception {
        Path home = home();
        Run bad = Run.of("maintenance", "maybe", "--home", home.toString());
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("'maybe' is not on or off");

        Run reason = Run.of("maintenance", "off", "--reason", "x", "--yes", "--home", home.toString());
        assertThat(reason.exit()).as(reason.toString()).isEqualTo(2);
        assertThat(reason.err()).contains("--reason goes with 'uplift maintenance on'");
    }

    @Test
    void withoutATerminalAndWithoutYesItRefusesToAsk() throws Exception {
        Run run = Run.of("maintenance", "on", "--home", home().toString());
        assertThat(run.exit()).as(run.toString()).isEqualTo(16);
        assertThat(run.err()).contains("--yes");
    }

    @Test
    void anUnfinishedUpgradeOwnsMaintenanceModeSoTurningItOnOrOffIsRefusedWithFifteen() throws Exception {
        Path home = home();
        Journal.create(home.resolve(".uplift/journal.json"), Clock.systemUTC(), new UpgradeJournal("j", "lockbox", "1.0", "2.1",
                RunState.FAILED, "x", null, false, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "step failed", null, null, Map.of(),
                List.of(new JournalStep("2.1/migrate-schema", "MIGRATE_SCHEMA", "1.1", "2.1", StepStatus.FAILED, null, null, 1, "x"))));

        for (String action : List.of("on", "off")) {
            Run run = Run.of("maintenance", action, "--yes", "--home", home.toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(15);
            assertThat(run.err()).contains("upgrade 1.0 -> 2.1").contains("uplift resume").contains("uplift rollback");
        }
        assertThatThrownBy(() -> Uplift.configure().home(home).load().maintenance(true, "by hand"))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED));
        assertThat(home.resolve(".uplift/maintenance")).doesNotExist();
    }

    @Test
    void whileAnotherCommandHoldsTheHomeItIsRefusedWithFifteenNamingTheHolder() throws Exception {
        Path home = home();
        try (LockHolderJvm holder = LockHolderJvm.hold(home, "uplift upgrade --to 2.1")) {
            Run run = Run.of("maintenance", "on", "--yes", "--home", home.toString());
            assertThat(run.exit()).as(run.toString()).isEqualTo(15);
            assertThat(run.err()).contains("pid " + holder.pid()).contains("uplift upgrade --to 2.1");
            assertThatThrownBy(() -> Uplift.configure().home(home).load().maintenance(false, ""))
                    .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.LOCKED));
        }
        assertThat(home.resolve(".uplift/maintenance")).doesNotExist();
    }
}
