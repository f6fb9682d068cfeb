package io.uplift.cli;

import io.uplift.api.DrRefreshResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "dr", mixinStandardHelpOptions = true,
        description = "Disaster recovery: keeps a DR site (its own home and database server) at the primary's data and release.",
        subcommands = DrCommand.Refresh.class)
final class DrCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name what to do: 'uplift dr refresh --from PRIMARY_HOME_OR_URL --home DR_HOME'.");
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true,
            description = {"Brings the DR site in --home to the primary's data and release: checks both sites, takes a verified backup"
                            + " of the primary (in --backup-dir, default DR_HOME/.uplift/dr-backups), stops the DR site's services if"
                            + " they run, restores the backup's database into the DR site's database (everything of the product in it"
                            + " is replaced), brings the DR site's program files to the primary's release from the catalog (never its"
                            + " config/: node-local files stay byte for byte), and starts its services again if they ran.",
                    "Refused before anything is touched: --from is not an installation (or its database records no release of the"
                            + " DR site's product), is the DR home or uses the same database; a URL holding a password; a password file"
                            + " others can read (or, as root, a symbolic link);"
                            + " an upgrade is under way in either home (or the primary's database is in maintenance mode); other products; the DR site runs a newer release; the DR"
                            + " site's keyset is not the one the primary's data is encrypted with (a DR site is installed with the"
                            + " primary's keyset; Uplift never copies keys); the DR server is an older PostgreSQL than the primary's.",
                    "--from takes the primary's node-1 home (mounted on this machine), or, for a DR site on another machine, the"
                            + " primary's database: postgresql://USER@HOST:PORT/DATABASE or jdbc:postgresql://HOST:PORT/DATABASE?user=USER."
                            + " Then the product, release and keyset are read from that database, the DR site's own catalog must hold"
                            + " the release, and a dump of that database (in --backup-dir) takes the place of the primary's backup."
                            + " The password is never in the URL (refused: ps shows it): --password-file FILE (mode 600), else"
                            + " PGPASSWORD (not in ps, but in the process environment root can read), else PGPASSFILE or ~/.pgpass.",
                    "Exit 2 for a bad --from (not a PostgreSQL URL, a password in it, the same home, the same database) or"
                            + " --password-file; 10 when the DR site's catalog lacks the primary's"
                            + " release; 11 when the DR site runs a newer release;"
                            + " 12 for a home or database that is not an installation's, an upgrade under way, another product or"
                            + " another keyset, or a primary that changed release while it was copied;"
                            + " 13 when a database cannot be reached (a refused password among them); 14 for a DR server older than the primary's;"
                            + " 15 when another Uplift command holds a home's lock; 17 when the backup"
                            + " or the restore fails; 18 when the program files could not be brought to the release ('uplift resume'); 22 when"
                            + " the PostgreSQL client tools are older than the primary's server."})
    static final class Refresh implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Option(names = "--from", paramLabel = "PRIMARY_HOME_OR_URL", required = true,
                description = "The primary site's node-1 home folder, or its database as postgresql://USER@HOST:PORT/DATABASE"
                        + " (never with a password in it).")
        String from;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "With --from URL: a file (mode 600; as root, not a symbolic link) holding the primary database's"
                        + " password on its first line. Without it: PGPASSWORD, then PGPASSFILE or ~/.pgpass.")
        Path passwordFile;

        @Option(names = "--backup-dir", paramLabel = "DIR",
                description = "Where the primary's backups are kept (default: DR_HOME/.uplift/dr-backups).")
        Path backupDir;

        @Option(names = "--json", description = "Print the result as JSON (the fields of DrRefreshResult); progress still goes to stderr.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            DrRefreshResult r = home.configure(backupDir).load().drRefresh(from, java.util.Optional.ofNullable(passwordFile),
                    new TerminalProgress(err, "Copying the primary", "bytes"), phase -> {
                        err.println(phase + "...");
                        err.flush();
                    });
            if (json) {
                JsonOutput.print(out, r);
                return 0;
            }
            out.printf("The DR site %s now holds the data of %s at version %s (it ran %s%s).%n", r.drHome(), r.primaryHome(), r.version(),
                    r.drVersionBefore(), r.programFilesUpdated() ? "; its program files were brought to " + r.version() : "");
            out.printf("Restored backup %s (%s): %,d rows, dump %.1f MB, database %.1f MB now (PostgreSQL %d -> %d).%n", r.backupId(),
                    r.backupFolder(), r.rowsRestored(), r.dumpBytes() / 1048576.0, r.databaseBytes() / 1048576.0, r.primaryServerMajor(),
                    r.drServerMajor());
            out.printf("Services: %s. Took %.1f s.%n", r.servicesRestarted() ? "stopped and started again" : "were not running, left stopped",
                    r.tookMillis() / 1000.0);
            out.flush();
            return 0;
        }
    }
}
