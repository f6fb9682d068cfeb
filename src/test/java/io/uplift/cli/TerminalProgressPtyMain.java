package io.uplift.cli;

import java.io.PrintWriter;

/**
 * Draws the key rotation's bar the way {@code uplift keys rotate} does (the production constructor: its own
 * terminal check and width), for {@link TerminalProgressPtyTest} to run in a real pseudo-terminal.
 */
final class TerminalProgressPtyMain {
    private TerminalProgressPtyMain() {
    }

    public static void main(String[] args) {
        PrintWriter err = new PrintWriter(System.err, true);
        long total = 98_765_432_109_876L;
        TerminalProgress bar = new TerminalProgress(err, "Re-encrypting", "values");
        // Reports for 350 ms, so the bar redraws a few times (at most every 100 ms) before it finishes.
        long start = System.nanoTime();
        long elapsed;
        while ((elapsed = System.nanoTime() - start) < 350_000_000L) {
            bar.progress(total / 1000 * (elapsed / 1_000_000), total);
        }
        bar.progress(total, total);
        err.println("drawn");
    }
}
