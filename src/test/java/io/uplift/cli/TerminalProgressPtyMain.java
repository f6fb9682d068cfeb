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
        long total = 9_876_543_210L;
        TerminalProgress bar = new TerminalProgress(err, "Re-encrypting", "values");
        for (long done = 0; done < total; done += total / 1000) {
            bar.progress(done, total);
        }
        bar.progress(total, total);
        err.println("drawn");
    }
}
