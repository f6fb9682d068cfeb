package io.uplift.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The --yes of every command that changes anything, and the confirmation it skips. */
final class YesOption {
    @Option(names = "--yes", description = "Do not ask for confirmation (needed without a terminal).")
    boolean yes;

    /** True with --yes or when the operator answers yes on the terminal; without a terminal and --yes: exit 16. */
    boolean confirmed(String question, String command, PrintWriter out) {
        return Confirmation.confirmed(yes, question, command, out);
    }
}
