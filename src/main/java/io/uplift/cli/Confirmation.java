package io.uplift.cli;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.Console;
import java.io.PrintWriter;

/**
 * Asks before a command changes anything. Without a terminal and without --yes it refuses at once
 * instead of waiting for an answer nobody can give.
 */
final class Confirmation {
    private Confirmation() {}

    static boolean confirmed(boolean yes, String question, String command, PrintWriter out) {
        if (yes) {
            return true;
        }
        Console console = System.console();
        if (console == null) {
            throw new UpliftException(ErrorCode.CONFIRMATION_REQUIRED, "'" + command + "' asks before it changes anything, "
                    + "and there is no terminal to ask on: pass --yes to go ahead.");
        }
        out.flush();
        String answer = console.readLine("%s [y/N] ", question);
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }
}
