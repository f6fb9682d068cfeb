package io.uplift.cli;

import io.uplift.demo.ProgressListener;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * A progress bar with rate and ETA. On a terminal it redraws one line; without one (a pipe, a CI
 * log) it prints a plain line every ten percent so logs stay readable.
 */
final class TerminalProgress implements ProgressListener {
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final String unit;
    private final boolean terminal;
    private long startNanos = -1;
    private long lastDrawNanos;
    private int lastDecile = -1;
    private boolean finishedShown;

    TerminalProgress(PrintWriter err, String label, String unit) {
        this.err = err;
        this.label = label;
        this.unit = unit;
        this.terminal = System.console() != null;
    }

    @Override
    public void progress(long done, long total) {
        long now = System.nanoTime();
        if (startNanos < 0) {
            startNanos = now; // the rate counts from the first row, not from whatever came before
        }
        boolean finished = done >= total;
        if (finished && finishedShown) {
            return;
        }
        finishedShown |= finished;
        double fraction = total <= 0 ? 1 : Math.min(1.0, (double) done / total);
        if (terminal) {
            if (!finished && now - lastDrawNanos < 100_000_000L) {
                return;
            }
            lastDrawNanos = now;
            err.print("\r" + line(done, total, fraction, now) + (finished ? "\n" : ""));
        } else {
            int decile = (int) (fraction * 10);
            if (decile == lastDecile && !finished) {
                return;
            }
            lastDecile = decile;
            err.println(line(done, total, fraction, now));
        }
        err.flush();
    }

    private String line(long done, long total, double fraction, long now) {
        int filled = (int) (fraction * WIDTH);
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        double rate = done / seconds;
        String eta = done >= total ? "done" : rate <= 0 ? "ETA ..." : "ETA " + format(Duration.ofSeconds((long) ((total - done) / rate)));
        return String.format("%s [%s%s] %3d%% %,d/%,d %s, %,.0f %s/s, %s   ", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), (int) (fraction * 100), done, total, unit, rate, unit, eta);
    }

    private static String format(Duration d) {
        return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
