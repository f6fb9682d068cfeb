package io.uplift.cli;

import io.uplift.api.MoveListener;
import io.uplift.api.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/** A move's or an import's phases and finished tables as lines, and a byte progress bar. */
final class TerminalMoveListener implements MoveListener {
    private final PrintWriter out;
    private final TerminalProgress bar;
    private final long start = System.nanoTime();

    TerminalMoveListener(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.bar = new TerminalProgress(err, "  rows", "bytes");
    }

    @Override
    public void phase(String text) {
        // The time since the move started, so an operator sees which phase takes long.
        out.printf("- %s  (at %.1f s)%n", text, (System.nanoTime() - start) / 1e9);
        out.flush();
    }

    @Override
    public void serverStarted(int major, Path dataDir, int port, String target) {
        out.printf("Started PostgreSQL %d in %s on 127.0.0.1:%d; the target is %s%n", major, dataDir, port, target);
        out.flush();
    }

    @Override
    public void tableCopied(String table, long rows, long bytes, Duration took) {
        out.printf("  %-30s %,12d rows %,8d MB  at %.1f s%n", table, rows, bytes / (1024 * 1024), took.toMillis() / 1000.0);
        out.flush();
    }

    @Override
    public ProgressListener bytes() {
        return bar;
    }
}
