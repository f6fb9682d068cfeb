package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.LogLine;
import io.uplift.api.ProgressListener;
import io.uplift.api.Step;
import io.uplift.api.StepKind;
import io.uplift.api.UpgradeListener;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpliftException;
import io.uplift.journal.UpgradeLogFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run writes to the upgrade log, and that every event still reaches the terminal. */
class LogRecorderTest {
    private static final Step BACKUP = new Step("1.1/backup", StepKind.BACKUP, "Back up the database and the files", "");
    private static final Step SWAP = new Step("1.1/swap-program-files", StepKind.SWAP_PROGRAM_FILES, "Swap the program files", "");

    @TempDir
    Path uplift;
    final List<String> told = new ArrayList<>();

    final UpgradeListener terminal = new UpgradeListener() {
        @Override
        public void stepStarted(Step step, boolean undo) {
            told.add("started " + step.id() + (undo ? " undo" : ""));
        }

        @Override
        public void stepFinished(Step step, Duration took, boolean undo) {
            told.add("finished " + step.id());
        }

        @Override
        public void stepSkipped(Step step) {
            told.add("skipped " + step.id());
        }

        @Override
        public void message(String text) {
            told.add("message " + text);
        }

        @Override
        public ProgressListener progress(Step step) {
            return (done, total) -> told.add("progress " + done + "/" + total);
        }
    };

    private final UpgradeLogFile file() {
        return new UpgradeLogFile(uplift, Clock.fixed(Instant.parse("2026-12-07T06:00:00Z"), ZoneOffset.UTC));
    }

    private List<String> logged() throws IOException {
        return file().read(0, 1000).lines().stream().map(LogLine::text).toList();
    }

    private static UpgradeResult result(UpgradeResult.Outcome outcome, String message) {
        return new UpgradeResult(outcome, "1.0", "1.1", "1.1", List.of(), List.of(), message);
    }

    @Test
    void aRunLogsItsStartEachStepEachMessageAndHowItEnded() throws IOException {
        LogRecorder log = new LogRecorder(terminal, file());

        log.run("upgrade 1.0 -> 1.1 started by uplift upgrade --to 1.1", () -> {
            log.stepSkipped(new Step("1.1/checks", StepKind.CHECKS, "Run the checks", ""));
            log.stepStarted(BACKUP, false);
            log.message("dumping the database\nwith pg_dump");
            log.stepFinished(BACKUP, Duration.ofMillis(2345), false);
            log.stepStarted(SWAP, true);
            log.stepFinished(SWAP, Duration.ofMillis(100), true);
            log.message("between steps");
            return result(UpgradeResult.Outcome.DONE, "Lockbox 1.1 is installed.");
        });

        assertThat(logged()).containsExactly(
                "upgrade 1.0 -> 1.1 started by uplift upgrade --to 1.1",
                "step 1.1/checks skipped: an earlier run did it",
                "step 1.1/backup started: Back up the database and the files",
                "1.1/backup: dumping the database with pg_dump",
                "step 1.1/backup done in 2.3 s",
                "undo of step 1.1/swap-program-files started",
                "undo of step 1.1/swap-program-files done in 0.1 s",
                "between steps",
                "ended: done: Lockbox 1.1 is installed.");
        assertThat(told).containsExactly("skipped 1.1/checks", "started 1.1/backup", "message dumping the database\nwith pg_dump",
                "finished 1.1/backup", "started 1.1/swap-program-files undo", "finished 1.1/swap-program-files", "message between steps");
    }

    @Test
    void aRunThatFailsLogsTheErrorAndItsExitCodeAndRethrowsIt() throws IOException {
        LogRecorder log = new LogRecorder(terminal, file());
        UpliftException failure = new UpliftException(ErrorCode.UPGRADE_FAILED, "Step 1.1/migrate-schema failed: division by zero");

        assertThatThrownBy(() -> log.run("resume of the upgrade 1.0 -> 1.1 (failed) started by uplift resume", () -> {
            log.stepStarted(BACKUP, false);
            throw failure;
        })).isSameAs(failure);

        assertThat(logged()).containsExactly("resume of the upgrade 1.0 -> 1.1 (failed) started by uplift resume",
                "step 1.1/backup started: Back up the database and the files",
                "stopped (exit 18): Step 1.1/migrate-schema failed: division by zero");
    }

    @Test
    void progressIsLoggedOncePerTenthAndAgainFromZeroInEachNewPhase() throws IOException {
        LogRecorder log = new LogRecorder(terminal, file());
        log.stepStarted(BACKUP, false);
        ProgressListener progress = log.progress(BACKUP);
        for (long done = 0; done <= 1000; done += 7) {
            progress.progress(done, 1000);
        }
        progress.progress(1000, 1000);
        log.message("copying data/");
        progress.progress(0, 50);
        progress.progress(50, 50);
        progress.progress(3, 0); // no total known: nothing to say in tenths

        List<String> lines = logged();
        assertThat(lines.stream().filter(l -> l.startsWith("1.1/backup: ") && l.contains("%")).toList()).containsExactly(
                "1.1/backup: 0% (0 of 1000 bytes)", "1.1/backup: 10% (105 of 1000 bytes)", "1.1/backup: 20% (203 of 1000 bytes)",
                "1.1/backup: 30% (301 of 1000 bytes)", "1.1/backup: 40% (406 of 1000 bytes)", "1.1/backup: 50% (504 of 1000 bytes)",
                "1.1/backup: 60% (602 of 1000 bytes)", "1.1/backup: 70% (700 of 1000 bytes)", "1.1/backup: 80% (805 of 1000 bytes)",
                "1.1/backup: 90% (903 of 1000 bytes)", "1.1/backup: 100% (1000 of 1000 bytes)",
                "1.1/backup: 0% (0 of 50 bytes)", "1.1/backup: 100% (50 of 50 bytes)");
        assertThat(told.stream().filter(t -> t.startsWith("progress")).count()).as("every count still reaches the terminal").isEqualTo(147);
    }

    @Test
    void aLogThatCannotBeWrittenDoesNotStopTheRun() throws IOException {
        Files.createDirectory(uplift.resolve(UpgradeLogFile.NAME)); // a folder where the log should be
        LogRecorder log = new LogRecorder(terminal, file());

        UpgradeResult r = log.run("upgrade started", () -> {
            log.stepStarted(BACKUP, false);
            return result(UpgradeResult.Outcome.DONE, "done");
        });

        assertThat(r.outcome()).isEqualTo(UpgradeResult.Outcome.DONE);
        assertThat(told).containsExactly("started 1.1/backup");
    }
}
