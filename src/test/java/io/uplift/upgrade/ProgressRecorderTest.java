package io.uplift.upgrade;

import io.uplift.api.UpgradeListener;
import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.api.StatusResult;
import io.uplift.api.ProgressListener;
import io.uplift.api.Step;
import io.uplift.api.StepKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress report of the running step, for 'uplift status' in another terminal. */
class ProgressRecorderTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Step BACKUP = new Step("1.1/backup", StepKind.BACKUP, "Back up", "");
    private static final Step ROTATE = new Step("3.0/rotate-keys", StepKind.ROTATE_KEYS, "Rotate keys", "");

    @TempDir
    Path uplift;
    final AtomicLong nanos = new AtomicLong(5 * SECOND);
    final List<String> told = new ArrayList<>();
    ProgressRecorder recorder;

    /** Records what the wrapped listener is told, to show every event is passed on. */
    final UpgradeListener inner = new UpgradeListener() {
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

    @BeforeEach
    void recorder() {
        recorder = new ProgressRecorder(inner, uplift, Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC), nanos::get);
    }

    private StatusResult.Progress report() {
        return ProgressRecorder.read(uplift).orElseThrow();
    }

    @Test
    void aStartedStepIsReportedWithItsIdTitleUnitAndTheClocksTime() {
        recorder.stepStarted(ROTATE, false);

        StatusResult.Progress p = report();
        assertThat(p.step()).isEqualTo("3.0/rotate-keys");
        assertThat(p.title()).isEqualTo("Rotate keys");
        assertThat(p.unit()).isEqualTo("rows");
        assertThat(p.done()).isZero();
        assertThat(p.phase()).isEmpty();
        assertThat(p.updatedAt()).isEqualTo("2026-03-01T12:00:00Z");
    }

    @Test
    void anUndoIsReportedAsUndoingAndEveryEventReachesTheWrappedListener() {
        recorder.stepStarted(BACKUP, true);
        assertThat(report().phase()).isEqualTo("undoing");

        recorder.message("restoring");
        recorder.progress(BACKUP).progress(1, 2);
        recorder.stepSkipped(ROTATE);
        recorder.stepFinished(BACKUP, Duration.ofSeconds(1), true);

        assertThat(told).containsExactly("started 1.1/backup undo", "message restoring", "progress 1/2", "skipped 3.0/rotate-keys",
                "finished 1.1/backup");
    }

    @Test
    void messagesBecomeThePhaseAndOnlyTheLastFiveAreKept() {
        recorder.stepStarted(BACKUP, false);
        for (int i = 1; i <= 7; i++) {
            recorder.message("m" + i);
        }

        assertThat(report().phase()).isEqualTo("m7");
        assertThat(report().recent()).containsExactly("m3", "m4", "m5", "m6", "m7");
    }

    @Test
    void progressIsWrittenAtMostOnceASecondButTheEndIsWrittenAtOnce() {
        recorder.stepStarted(BACKUP, false);
        ProgressListener progress = recorder.progress(BACKUP);

        nanos.addAndGet(SECOND / 2);
        progress.progress(10, 100);
        assertThat(report().done()).as("half a second after the last write").isZero();

        nanos.addAndGet(SECOND / 2);
        progress.progress(20, 100);
        assertThat(report().done()).isEqualTo(20);

        progress.progress(100, 100);
        assertThat(report().done()).isEqualTo(100);
        assertThat(report().total()).isEqualTo(100);
    }

    @Test
    void theRateAndTheEtaAreMeasuredFromTheFirstProgressOfTheStep() {
        recorder.stepStarted(BACKUP, false);
        ProgressListener progress = recorder.progress(BACKUP);
        progress.progress(100, 1100);

        nanos.addAndGet(2 * SECOND);
        progress.progress(300, 1100);

        assertThat(report().perSecond()).isEqualTo(100);
        assertThat(report().etaSeconds()).isEqualTo(8);
    }

    @Test
    void aCountThatStartsOverStartsTheRateOverAndNoRateIsGuessedFromUnderHalfASecond() {
        recorder.stepStarted(BACKUP, false);
        ProgressListener progress = recorder.progress(BACKUP);
        progress.progress(500, 1000);
        nanos.addAndGet(10 * SECOND);
        progress.progress(50, 1000); // a new count, e.g. the next table

        assertThat(report().perSecond()).isZero();
        assertThat(report().etaSeconds()).isNull();

        nanos.addAndGet(5 * SECOND);
        progress.progress(550, 1000);
        assertThat(report().perSecond()).isEqualTo(100);
        assertThat(report().etaSeconds()).isEqualTo(5);
    }

    @Test
    void aFinishedStepLeavesNoReportBehind() {
        recorder.stepStarted(BACKUP, false);
        assertThat(uplift.resolve(ProgressRecorder.FILE)).exists();

        recorder.stepFinished(BACKUP, Duration.ZERO, false);

        assertThat(uplift.resolve(ProgressRecorder.FILE)).doesNotExist();
        assertThat(ProgressRecorder.read(uplift)).isEmpty();
    }

    @Test
    void aDamagedReportReadsAsNoReport() throws Exception {
        Files.writeString(uplift.resolve(ProgressRecorder.FILE), "{\"step\": ");

        assertThat(ProgressRecorder.read(uplift)).isEmpty();
    }
}
