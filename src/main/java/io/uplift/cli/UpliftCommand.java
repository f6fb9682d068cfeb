package io.uplift.cli;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "uplift",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Upgrades a self-hosted application safely: program files, database schema, the database server,",
                "keys and tokens, with verified backups first and a journal that survives any interruption."},
        subcommands = {StatusCommand.class, PlanCommand.class, CheckCommand.class, DbCommand.class, DemoCommand.class, CatalogCommand.class,
                UpgradeCommand.class, ResumeCommand.class, RollbackCommand.class, TasksCommand.class, BackupCommand.class, CleanupCommand.class,
                TokensCommand.class, KeysCommand.class, NodesCommand.class, AgentCommand.class, ClusterCommand.class, DrCommand.class, ConsoleCommand.class,
                MaintenanceCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0   done; check: every check passed",
                "  1   internal error (a bug: please report it)",
                "  2   bad command line",
                "  3   check: warnings, no failures",
                "  4   check: at least one failure; upgrade: refused by a failing check, nothing changed",
                "  10  the release catalog is invalid",
                "  11  no legal upgrade plan (unknown version, downgrade, no path)",
                "  12  the home is not a usable installation",
                "  13  the database cannot be reached",
                "  14  a PostgreSQL server cannot be installed, started or stopped",
                "  15  another Uplift command holds the installation's lock",
                "  16  confirmation needed: run on a terminal or pass --yes",
                "  17  a backup could not be written or verified (or no room); nothing else was touched",
                "  18  an upgrade step failed: run 'uplift resume' after fixing the cause, or 'uplift rollback'",
                "  19  a release package does not match its checksum",
                "  20  upgrade paused on Ctrl-C/SIGTERM between two steps: 'uplift resume' goes on",
                "  21  resume or rollback: no upgrade in progress",
                "  22  the PostgreSQL client tools are missing or older than the server",
                "  23  a database move stopped: run it again with --resume",
                "  24  a database move's validation found differences",
                "  25  keys: a key still encrypts values (or a rotation is unfinished); nothing changed",
                "  26  nodes forget: the node is alive (a heartbeat within 60 s); nothing changed",
                "  27  cluster cancel: too late, the primary started its upgrade ('uplift rollback' there undoes it)",
                "  30  cluster upgrade: it ended FAILED or CANCELLED ('uplift cluster status' says why)",
                "  31  cluster upgrade: stopped following it after --timeout-minutes; it still runs"})
public final class UpliftCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line; tests call execute(...) on it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new UpliftCommand());
        cli.setExecutionExceptionHandler(UpliftCommand::handle);
        cli.setExitCodeExceptionMapper(e -> e instanceof UpliftException u ? u.code().exitCode()
                : e instanceof CommandLine.ParameterException ? ErrorCode.USAGE.exitCode() : ErrorCode.INTERNAL.exitCode());
        return cli;
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof UpliftException u) {
            err.println("error: " + u.getMessage());
            err.flush();
            return u.code().exitCode();
        }
        err.println("error: an unexpected failure inside Uplift: " + e);
        e.printStackTrace(err);
        err.println("This is a bug; please report it with the lines above. Nothing was changed after the failure point.");
        err.flush();
        return ErrorCode.INTERNAL.exitCode();
    }
}
