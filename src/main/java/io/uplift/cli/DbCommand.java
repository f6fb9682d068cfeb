package io.uplift.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "db", mixinStandardHelpOptions = true,
        description = {"The database server Uplift manages for an installation (the demo's), and database moves between servers."},
        subcommands = {DbCommand.Start.class, DbCommand.Stop.class, DbMoveCommand.class, DbImportCommand.class})
final class DbCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts the installation's database server if it is down (after a reboot, say).")
    static final class Start implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Override
        public Integer call() {
            var state = home.configure().load().startDatabase();
            spec.commandLine().getOut().println(switch (state) {
                case STARTED -> "Database server started.";
                case RUNNING -> "Database server already running.";
                default -> "Uplift does not manage this installation's database server; nothing to start.";
            });
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops the installation's database server (fast shutdown; immediate if that hangs).")
    static final class Stop implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Override
        public Integer call() {
            home.configure().load().stopDatabase();
            spec.commandLine().getOut().println("Database server stopped.");
            return 0;
        }
    }
}
