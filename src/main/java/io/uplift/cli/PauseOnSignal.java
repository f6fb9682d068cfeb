package io.uplift.cli;

import java.io.PrintWriter;
import sun.misc.Signal;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into "stop after the current step" while an upgrade runs, so
 * that no step is ever cut in half by the operator. A killed process (SIGKILL) is the journal's job.
 */
final class PauseOnSignal {
    private PauseOnSignal() {}

    static void install(Runnable pause, PrintWriter err) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), sig -> {
                    err.println();
                    err.println("SIG" + name + " received: stopping after the current step (it is never cut in half)...");
                    err.flush();
                    pause.run();
                });
            } catch (IllegalArgumentException e) {
                // The signal does not exist on this platform; the journal still covers a hard stop.
            }
        }
    }
}
