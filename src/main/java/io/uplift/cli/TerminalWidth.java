package io.uplift.cli;

import java.io.IOException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * How many columns the terminal that standard error shows on has. JLine asks the terminal itself (it
 * follows a resize, which the {@code COLUMNS} variable of the starting shell does not); {@code COLUMNS} is
 * the fallback where JLine cannot tell, and 80 the width when nothing can.
 */
final class TerminalWidth {
    static final int UNKNOWN = 80;

    private TerminalWidth() {
    }

    static int ofStandardError() {
        int measured = measured();
        return measured > 0 ? measured : fromColumnsVariable(System.getenv("COLUMNS"));
    }

    static int fromColumnsVariable(String columns) {
        if (columns == null || !columns.trim().matches("[0-9]{1,4}")) {
            return UNKNOWN;
        }
        int value = Integer.parseInt(columns.trim());
        return value > 0 ? value : UNKNOWN;
    }

    private static int measured() {
        // nativeSignals(false): JLine would otherwise swap the JVM's Ctrl-C handler for the default one while
        // the terminal is open, and a Ctrl-C then would skip Uplift's shutdown hooks. dumb(true): where there
        // is no real terminal JLine gives a dumb one (width 0) instead of printing a warning.
        // graphemeCluster(false): else JLine probes the terminal (writes queries, reads the answers from
        // standard input), which would print escape codes and could take what the operator types at a prompt.
        try (Terminal terminal = TerminalBuilder.builder().system(true).systemOutput(TerminalBuilder.SystemOutput.SysErr)
                .nativeSignals(false).dumb(true).graphemeCluster(false).build()) {
            return terminal.getWidth();
        } catch (IOException | RuntimeException e) {
            return 0; // a width is a nicety: the fallbacks serve
        }
    }
}
