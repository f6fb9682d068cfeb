package io.uplift.cli;

/** Entry point of the uplift command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(UpliftCommand.commandLine().execute(args));
    }
}
