package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.UpliftException;
import io.uplift.api.AvailabilitySummary;
import io.uplift.api.DemoResult;
import io.uplift.api.DemoService;
import io.uplift.api.LoadRun;
import io.uplift.api.DemoSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import io.uplift.api.JoinedNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Builds a Lockbox 1.0 installation on a PostgreSQL 10 server that Uplift runs, with generated data,",
                "starts Lockbox (an HTTP service on loopback), shows its status, the plan to 3.0 and the checks for it, and",
                "upgrades it to 3.0 (backup, journal, database move to PostgreSQL 16, key rotation, every step timed) while",
                "a load generator reads and writes through Lockbox; then prints the availability it measured and the status.",
                "Without --home the demo goes to " + DemoCommand.DEFAULT_HOME + ", replacing an earlier demo there;",
                "a folder given with --home must be new or empty."})
final class DemoCommand implements Callable<Integer> {
    static final String DEFAULT_HOME = "/tmp/uplift-demo";
    static final String TARGET = "3.0";
    /** How far the demo upgrades: the newest release, through the database move and the key rotation. */
    static final String STOP = TARGET;
    static final int MAX_NODES = 9;

    @Spec
    CommandSpec spec;

    @Option(names = "--home", paramLabel = "DIR", description = "Where to build the demo installation (new or empty folder).")
    Path home;

    @Option(names = "--events", paramLabel = "N", defaultValue = "" + DemoSettings.DEFAULT_EVENTS,
            description = "Number of events to generate (default: ${DEFAULT-VALUE}).")
    long events;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "" + DemoSettings.DEFAULT_SEED,
            description = "Seed of the generator: the same N and seed give the same rows (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--prepare-only", description = "Only build the 1.0 installation; start nothing, show nothing else.")
    boolean prepareOnly;

    @Option(names = "--serve", description = {"With --prepare-only: also start Lockbox 1.0 and write an app token for its users",
            "to HOME.load/token (mode 600), as bench/availability.sh needs."})
    boolean serve;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "1",
            description = {"With --prepare-only: build a cluster of N nodes (1 to " + DemoCommand.MAX_NODES + "): HOME is node 1, which",
                    "manages the database server; nodes 2..N go to HOME-node2.., each with its own port, sharing the database",
                    "and the keyset (with --serve all of them are started)."})
    int nodes;

    @Option(names = "--catalog", paramLabel = "DIR", hidden = true, description = "Another Lockbox catalog (tests).")
    Path catalog;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (events < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--events must be 0 or more, got " + events);
        }
        if (serve && !prepareOnly) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--serve goes with --prepare-only (the whole demo serves anyway).");
        }
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be 1 to " + MAX_NODES + ", got " + nodes);
        }
        if (nodes > 1 && !prepareOnly) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nodes goes with --prepare-only (the whole demo upgrades one node).");
        }
        Path target = home != null ? home : Path.of(DEFAULT_HOME);
        if (home == null) {
            // Nodes of an earlier cluster demo first: their Lockbox uses node 1's database server.
            for (int n = 2; n <= MAX_NODES; n++) {
                PreviousDemo.remove(nodeHome(target, n), out);
            }
            PreviousDemo.remove(target, out);
        }
        Uplift uplift = Uplift.configure().home(target).load();
        out.printf("Preparing Lockbox 1.0 in %s with %,d events (seed %d)...%n", uplift.home(), events, seed);
        out.flush();
        DemoResult r = uplift.prepareDemo(new DemoSettings(events, seed, catalog != null ? catalog : DemoSettings.demoCatalog()),
                new TerminalProgress(spec.commandLine().getErr(), "Generating data", "rows"));
        out.printf("Lockbox %s is installed in %s: PostgreSQL %d at %s, %,d rows in %.1f s (server set-up %.1f s).%n",
                r.version(), r.home(), r.postgresMajor(), r.databaseUrl(), r.data().totalRows(), r.total().toMillis() / 1000.0,
                r.serverSetup().toMillis() / 1000.0);
        List<Uplift> joined = new ArrayList<>();
        for (int n = 2; n <= nodes; n++) {
            JoinedNode j = uplift.demoJoinNode(nodeHome(uplift.home(), n));
            joined.add(Uplift.configure().home(Path.of(j.home())).load());
            out.printf("Node %d joined in %s: Lockbox %s from the catalog, the same database and keyset, port %s.%n", n, j.home(),
                    j.version(), j.url().substring(j.url().lastIndexOf(':') + 1));
        }
        if (prepareOnly && !serve) {
            out.flush();
            return 0;
        }
        uplift.startServices();
        DemoService service = uplift.demoService();
        out.printf("Lockbox %s serves %s/health; an app token for its users is in %s.%n", r.version(), service.url(),
                service.tokenFile());
        for (Uplift node : joined) {
            node.startServices();
            out.printf("Lockbox %s of %s serves too (the token works on every node: one database).%n", r.version(), node.home());
        }
        if (prepareOnly) {
            out.flush();
            return 0;
        }
        // The users arrive now, while the operator looks at the status, the plan and the checks: their
        // writes before maintenance are the ones a lost write would show.
        out.printf("A load generator (bench/loadgen) now reads and writes through Lockbox's API until the upgrade ends, then reads"
                + " back every write Lockbox acknowledged.%n");
        LoadRun load = uplift.startDemoLoad(service);
        String h = "--home=" + r.home();
        CommandLine cli = UpliftCommand.commandLine();
        cli.setOut(out);
        cli.setErr(spec.commandLine().getErr());
        show(out, "uplift status " + h);
        cli.execute("status", h);
        show(out, "uplift plan --to " + TARGET + " " + h);
        cli.execute("plan", "--to", TARGET, h);
        show(out, "uplift check --to " + TARGET + " " + h);
        int check = cli.execute("check", "--to", TARGET, h);
        out.printf("%nThe check exits with %d: %s%n", check, check == 3
                ? "warnings only, because the plan moves the database from PostgreSQL 10 to 16."
                : "see the results above.");
        show(out, "uplift upgrade --to " + STOP + " --yes " + h);
        int upgraded;
        try {
            upgraded = cli.execute("upgrade", "--to", STOP, "--yes", h);
        } finally {
            AvailabilitySummary availability = load.finish();
            out.printf("%nAvailability while the load ran (full report: %s):%n%s%n", availability.report(), availability.text());
            if (!availability.everyWriteFound()) {
                out.println("An acknowledged write was not found after the upgrade: see the report above.");
            }
        }
        if (upgraded != 0) {
            return upgraded;
        }
        show(out, "uplift status " + h);
        cli.execute("status", h);
        show(out, "uplift tasks " + h);
        cli.execute("tasks", h);
        out.printf("%nLockbox went from 1.0 to %s: a verified backup first, every step journaled, the database moved from PostgreSQL 10"
                + " to 16 and validated, the encryption key rotated. The installation stays in %s; Lockbox keeps serving %s and its database"
                + " server keeps running ('app/bin/lockbox stop' in the home and 'uplift db stop %s' stop them). Next: 'uplift tasks run --yes %s' runs the pending task, 'uplift cleanup --yes %s'"
                + " removes the old PostgreSQL 10 server.%n", STOP, r.home(), service.url(), h, h, h);
        out.flush();
        return 0;
    }

    /** Node N of a cluster demo (N >= 2): HOME-nodeN beside node 1's HOME, so each has its own HOME.master-key and HOME.load. */
    static Path nodeHome(Path firstHome, int node) {
        Path h = firstHome.toAbsolutePath().normalize();
        return h.resolveSibling(h.getFileName() + "-node" + node);
    }

    private static void show(PrintWriter out, String command) {
        out.printf("%n$ %s%n", command);
        out.flush();
    }

    /** Only for the default demo folder: an earlier demo there is stopped and removed. */
    static final class PreviousDemo {
        private PreviousDemo() {}

        static void remove(Path home, PrintWriter out) {
            if (!java.nio.file.Files.exists(home)) {
                return;
            }
            try {
                if (!java.nio.file.Files.exists(home.resolve(".uplift/state.json"))) {
                    throw new UpliftException(io.uplift.api.ErrorCode.INSTALLATION_INVALID, home
                            + " exists but holds no earlier demo; remove it or pass --home DIR.");
                }
                Uplift demo = Uplift.configure().home(home).load();
                try {
                    demo.stopServices(); // an earlier demo's Lockbox would keep serving from a folder that is gone
                } catch (UpliftException e) {
                    // Not running, or its program files are gone: nothing to stop.
                }
                try {
                    demo.stopDatabase();
                } catch (UpliftException e) {
                    // Its server is already gone or cannot be reached: the folder goes all the same.
                }
                out.println("Removing the earlier demo in " + home);
                demo.removeDemo();
            } catch (java.io.IOException e) {
                throw new UpliftException(io.uplift.api.ErrorCode.INSTALLATION_INVALID, "Cannot remove the earlier demo in "
                        + home + ": " + e.getMessage(), e);
            }
        }
    }
}
