package io.uplift.upgrade;

import io.uplift.api.UpgradeListener;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.uplift.api.StatusResult;
import io.uplift.api.ProgressListener;
import io.uplift.journal.DurableFiles;
import io.uplift.api.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Passes every event on to the listener it wraps, and keeps the running step's progress in
 * {@code .uplift/progress.json}, so that {@code uplift status} in another terminal (or the console)
 * can show how far a long step has come: done and total, rate, ETA, and its last messages. Written
 * at most once a second, and with a plain atomic rename: it is only a report, so a lost update costs
 * nothing and is not worth an fsync. Removed when the step ends.
 */
final class ProgressRecorder implements UpgradeListener {
    static final String FILE = "progress.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WRITE_EVERY_NANOS = 1_000_000_000L;
    private static final int RECENT = 5;

    private final UpgradeListener delegate;
    private final Path file;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private Step step;
    private String phase = "";
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private long done;
    private long total;
    private long firstDone = -1;
    private long firstAt;
    private long lastWrite;

    ProgressRecorder(UpgradeListener delegate, Path upliftDir, Clock clock) {
        this(delegate, upliftDir, clock, System::nanoTime);
    }

    /** @param nanoTime the monotonic time the rate, the ETA and the once-a-second limit are measured with (a test sets it) */
    ProgressRecorder(UpgradeListener delegate, Path upliftDir, Clock clock, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.file = upliftDir.resolve(FILE);
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    /** What a running or interrupted upgrade last recorded, if anything. */
    static Optional<StatusResult.Progress> read(Path upliftDir) {
        Path f = upliftDir.resolve(FILE);
        try {
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty(); // absent, or a link someone planted: never read through it
            }
            try (var in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(JSON.readValue(in, StatusResult.Progress.class));
            }
        } catch (IOException e) {
            return Optional.empty(); // being replaced right now, or damaged: it is only a report
        }
    }

    @Override
    public synchronized void stepStarted(Step s, boolean undo) {
        step = s;
        phase = undo ? "undoing" : "";
        recent.clear();
        done = 0;
        total = 0;
        firstDone = -1;
        write(true);
        delegate.stepStarted(s, undo);
    }

    @Override
    public void stepFinished(Step s, Duration took, boolean undo) {
        delete();
        delegate.stepFinished(s, took, undo);
    }

    @Override
    public void stepSkipped(Step s) {
        delegate.stepSkipped(s);
    }

    @Override
    public synchronized void message(String text) {
        phase = text;
        recent.addLast(text);
        while (recent.size() > RECENT) {
            recent.removeFirst();
        }
        write(true);
        delegate.message(text);
    }

    @Override
    public ProgressListener progress(Step s) {
        ProgressListener inner = delegate.progress(s);
        return (d, t) -> {
            synchronized (this) {
                long now = nanoTime.getAsLong();
                if (firstDone < 0 || d < done) {
                    firstDone = d;
                    firstAt = now;
                }
                done = d;
                total = t;
                write(d >= t);
            }
            inner.progress(d, t);
        };
    }

    private void write(boolean now) {
        long t = nanoTime.getAsLong();
        if (step == null || (!now && t - lastWrite < WRITE_EVERY_NANOS)) {
            return;
        }
        lastWrite = t;
        double seconds = (t - firstAt) / 1e9;
        double rate = firstDone >= 0 && seconds > 0.5 ? (done - firstDone) / seconds : 0;
        Long eta = rate > 0 && total > done ? Math.round((total - done) / rate) : null;
        StatusResult.Progress p = new StatusResult.Progress(step.id(), step.title(), step.kind().progressUnit(), done, total,
                Math.round(rate), eta, phase, List.copyOf(recent), clock.instant().toString());
        try {
            // DurableFiles' temporary file is fresh and uniquely named (O_EXCL, 0600 from the start), never a
            // fixed name a link could be planted at, and the rename replaces a link at progress.json rather
            // than following it. Unforced: see the class comment.
            DurableFiles.writeUnforced(file, JSON.writeValueAsBytes(p));
        } catch (IOException | UnsupportedOperationException e) {
            // a report only: the upgrade goes on without it (a stray temporary file in .uplift/ harms nothing)
        }
    }

    private synchronized void delete() {
        step = null;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // status then shows a stale report for a step the journal says is done; it ignores those
        }
    }
}
