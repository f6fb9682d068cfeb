package io.uplift.cli;

import io.uplift.api.ProgressListener;
import java.io.PrintWriter;
import java.time.Duration;

/**
 * A progress bar with rate and ETA. On a terminal it redraws one line; without one (a pipe, a CI
 * log) it prints a plain line every ten percent so logs stay readable.
 *
 * <p>On a terminal the line is kept shorter than the terminal's width ({@link TerminalWidth}): a line
 * that wraps leaves a new row behind at every {@code \r} redraw. It is padded to that length so a shorter
 * redraw leaves nothing of the longer one behind. When the full line does not fit the bar shrinks, and
 * below ten cells it goes, then the rate; the label and numbers are cut only as the last resort.
 * JLine is used only to measure the width, not me.tongfei:progressbar to render: that library brings its own
 * line format and a refresh thread of its own, where this class keeps the format operators and tests
 * already know, and the plain lines without a terminal unchanged.
 *
 * <p>Thread-safe: a parallel copy reports from several threads, and each redraw is one whole line.
 */
final class TerminalProgress implements ProgressListener {
    private static final int BAR_CELLS = 30;
    private static final int MIN_BAR_CELLS = 10;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final String label;
    private final String unit;
    /** The terminal's columns, or 0 without a terminal (plain lines, no redraws). */
    private final int columns;
    private final long redrawNanos;
    private long startNanos = -1;
    private long lastDrawNanos;
    private int lastDecile = -1;
    private boolean finishedShown;

    TerminalProgress(PrintWriter err, String label, String unit) {
        this(err, label, unit, System.console() != null ? TerminalWidth.ofStandardError() : 0, REDRAW_NANOS);
    }

    /** {@code columns} 0 for no terminal; {@code redrawNanos} the least time between two redraws. */
    TerminalProgress(PrintWriter err, String label, String unit, int columns, long redrawNanos) {
        this.err = err;
        this.label = label;
        this.unit = unit;
        this.columns = columns;
        this.redrawNanos = redrawNanos;
    }

    @Override
    public synchronized void progress(long done, long total) {
        long now = System.nanoTime();
        if (startNanos < 0) {
            startNanos = now; // the rate counts from the first row, not from whatever came before
            lastDrawNanos = now - redrawNanos; // the first report is drawn
        }
        boolean finished = done >= total;
        if (finished && finishedShown) {
            return;
        }
        finishedShown |= finished;
        double fraction = total <= 0 ? 1 : Math.min(1.0, (double) done / total);
        if (columns > 0) {
            if (!finished && now - lastDrawNanos < redrawNanos) {
                return;
            }
            lastDrawNanos = now;
            err.print("\r" + fitted(done, total, fraction, now) + (finished ? "\n" : ""));
        } else {
            int decile = (int) (fraction * 10);
            if (decile == lastDecile && !finished) {
                return;
            }
            lastDecile = decile;
            err.println(label + " [" + bar(fraction, BAR_CELLS) + "] " + figures(done, total, fraction, now, true) + "   ");
        }
        err.flush();
    }

    /** The line for a redraw: exactly one column short of the terminal's width, so it never wraps. */
    private String fitted(long done, long total, double fraction, long now) {
        int room = Math.max(1, columns - 1);
        String figures = figures(done, total, fraction, now, true);
        int cells = Math.min(BAR_CELLS, room - label.length() - figures.length() - 4);
        if (cells >= MIN_BAR_CELLS) {
            return padded(label + " [" + bar(fraction, cells) + "] " + figures, room);
        }
        String withoutBar = label + " " + figures;
        if (withoutBar.length() > room) {
            withoutBar = label + " " + figures(done, total, fraction, now, false);
        }
        return withoutBar.length() > room ? withoutBar.substring(0, room) : padded(withoutBar, room);
    }

    private static String padded(String line, int room) {
        return line + " ".repeat(room - line.length());
    }

    private static String bar(double fraction, int cells) {
        int filled = (int) (fraction * cells);
        return "#".repeat(filled) + ".".repeat(cells - filled);
    }

    private String figures(long done, long total, double fraction, long now, boolean withRate) {
        double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
        double rate = done / seconds;
        String eta = done >= total ? "done" : rate <= 0 ? "ETA ..." : "ETA " + format(Duration.ofSeconds((long) ((total - done) / rate)));
        return withRate
                ? String.format("%3d%% %,d/%,d %s, %,.0f %s/s, %s", (int) (fraction * 100), done, total, unit, rate, unit, eta)
                : String.format("%3d%% %,d/%,d %s, %s", (int) (fraction * 100), done, total, unit, eta);
    }

    private static String format(Duration d) {
        return d.toHours() > 0 ? String.format("%dh%02dm", d.toHours(), d.toMinutesPart())
                : String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
