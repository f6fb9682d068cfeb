package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One PostgreSQL cluster (a data folder) and the server process that serves it.
 *
 * <p>Settings that belong to a run (port, listen address, socket folder) go on the {@code pg_ctl -o}
 * command line instead of into postgresql.conf, so the data folder stays as initdb made it and a
 * restart with another port needs no file edits. The server only ever listens on 127.0.0.1.
 *
 * <p>States: not initialised → {@link #initdb} → stopped ⇄ running ({@link #start}, {@link #stop}).
 * The process outlives this object and the JVM unless {@link #stopOnJvmExit} was called: the
 * product's own database keeps running between two CLI invocations.
 */
public final class PgServer {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final int BIND_ATTEMPTS = 4;
    private static final int LOG_LINES = 20;
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final PgBinaries binaries;
    private final ClusterFiles files;
    private final int configuredPort;
    private final OsUser user;
    private volatile int currentPort;

    /**
     * @param port a fixed TCP port, or 0 to pick a free loopback port at every start
     */
    public PgServer(PgBinaries binaries, Path dataDir, int port, OsUser user) {
        if (port < 0 || port > 65535) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "PostgreSQL port " + port
                    + " is out of range: use 1 to 65535, or 0 to pick a free port.");
        }
        this.binaries = binaries;
        this.files = new ClusterFiles(dataDir);
        this.configuredPort = port;
        this.user = user;
    }

    /**
     * Creates the cluster: UTF8, locale C, {@code superuser} with {@code password}; connections over
     * TCP need the password (scram-sha-256), local socket connections only the matching OS account
     * (peer). Refuses a data folder that is not empty, and leaves such a folder untouched.
     */
    public void initdb(String superuser, String password) {
        new ClusterInitializer(binaries, files, user).initdb(superuser, password);
    }

    public boolean isInitialised() {
        return Files.isRegularFile(files.dataDir().resolve("PG_VERSION"));
    }

    /**
     * Starts the server and waits until it accepts connections. A running server is left alone (and
     * its port adopted). With port 0 a free port is picked, and picked again if another program takes
     * it first.
     */
    public void start() {
        requireStartable();
        if (isRunning()) {
            adoptRunningPort();
            return;
        }
        user.requireReachable(binaries.binDir());
        user.preparePrivateDirectory(files.socketDir());
        user.prepareOwnedFile(files.logFile(), "rw-r-----");
        for (int attempt = 1; ; attempt++) {
            int port = configuredPort != 0 ? configuredPort : LoopbackPort.pickFree();
            if (configuredPort != 0 && !LoopbackPort.isFree(port)) {
                throw new UpliftException(ErrorCode.DATABASE_SERVER, "Cannot start PostgreSQL for "
                        + files.dataDir() + ": port " + port + " on " + LoopbackPort.ADDRESS + " is already in use by"
                        + " another program. Stop that program (`ss -ltnp 'sport = :" + port + "'` shows it) or"
                        + " configure another port.");
            }
            long logOffset = files.logSize();
            ExternalCommand.Result result = ExternalCommand.run(user.command(startCommand(port)), START_TIMEOUT);
            if (result.succeeded() && isRunning()) {
                currentPort = port;
                return;
            }
            String log = files.logTail(logOffset, LOG_LINES);
            stopQuietly(); // pg_ctl may give up waiting while the server is still coming up
            boolean portTaken = log.contains("could not bind") || log.contains("Address already in use");
            if (portTaken && configuredPort == 0 && attempt < BIND_ATTEMPTS) {
                continue;
            }
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "PostgreSQL " + binaries.version()
                    + " did not start for " + files.dataDir() + " on port " + port + " (as OS user " + user.name()
                    + "). pg_ctl said: " + result.output().strip() + "\nLast lines of " + files.logFile() + ":\n"
                    + log + (portTaken ? "\nPort " + port + " is taken: stop the program using it or configure"
                    + " another port." : "\nFix the cause named in the log, then start again."));
        }
    }

    private List<String> startCommand(int port) {
        // pg_ctl hands -o to /bin/sh, hence the shell quoting of the socket folder.
        String options = "-p " + port + " -c listen_addresses=" + LoopbackPort.ADDRESS
                + " -k " + shellQuote(files.socketDir().toString());
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // A session of its own: otherwise the server stays in the caller's process group, and a
            // Ctrl-C meant for an Uplift command would also stop the product's database (SIGINT means
            // "fast shutdown" to PostgreSQL). Older pg_ctl versions (10) do not detach by themselves.
            command.addAll(List.of(SETSID.toString(), "--wait"));
        }
        command.addAll(List.of(binaries.program("pg_ctl").toString(), "start", "-D", files.dataDir().toString(),
                "-l", files.logFile().toString(), "-w", "-t", String.valueOf(START_TIMEOUT.toSeconds() - 10),
                "-o", options));
        return command;
    }

    private void requireStartable() {
        try {
            String dataVersion = files.dataVersion().orElseThrow(() -> new UpliftException(
                    ErrorCode.DATABASE_SERVER, "No PostgreSQL cluster in " + files.dataDir()
                    + " (no PG_VERSION file). Initialise it first (`uplift db init`) or check the data folder"
                    + " setting."));
            if (!dataVersion.equals(String.valueOf(binaries.major()))) {
                throw new UpliftException(ErrorCode.DATABASE_SERVER, "The cluster in " + files.dataDir()
                        + " was created by PostgreSQL " + dataVersion + " but the binaries are PostgreSQL "
                        + binaries.version() + ": start it with PostgreSQL " + dataVersion + " binaries.");
            }
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "Could not read " + files.dataDir()
                    + "/PG_VERSION: " + e.getMessage(), e);
        }
    }

    /** Whether a live postmaster serves this data folder (from {@code postmaster.pid}). */
    public boolean isRunning() {
        return files.livePostmaster().isPresent();
    }

    /**
     * Stops the server: a fast shutdown (sessions are ended, data is flushed), and if that does not
     * finish in time an immediate one (crash recovery at the next start). Stopping a stopped server
     * does nothing.
     */
    public void stop() {
        if (!isRunning()) {
            return;
        }
        ExternalCommand.Result fast = ExternalCommand.run(user.command(stopCommand("fast")), STOP_TIMEOUT.plusSeconds(10));
        if (fast.succeeded() && !isRunning()) {
            return;
        }
        ExternalCommand.Result immediate = ExternalCommand.run(user.command(stopCommand("immediate")),
                STOP_TIMEOUT.plusSeconds(10));
        if (isRunning()) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "PostgreSQL for " + files.dataDir()
                    + " did not stop. pg_ctl said: " + fast.output().strip() + " / " + immediate.output().strip()
                    + "\nLast lines of " + files.logFile() + ":\n" + files.logTail(0, LOG_LINES)
                    + "\nStop the postgres process of that folder yourself (`pgrep -af " + files.dataDir() + "`).");
        }
    }

    private List<String> stopCommand(String mode) {
        return List.of(binaries.program("pg_ctl").toString(), "stop", "-D", files.dataDir().toString(),
                "-m", mode, "-w", "-t", String.valueOf(STOP_TIMEOUT.toSeconds()));
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (UpliftException e) {
            System.err.println("uplift: " + e.getMessage());
        }
    }

    /** Stops this server when the JVM exits: for ephemeral servers (tests, temporary copies). */
    public void stopOnJvmExit() {
        JvmExitActions.register("stop PostgreSQL in " + files.dataDir(), this::stopQuietly);
    }

    /** The port the server listens on; for port 0, the one picked when it was started. */
    public int port() {
        if (currentPort == 0) {
            adoptRunningPort(); // started by an earlier Uplift process
        }
        int port = currentPort != 0 ? currentPort : configuredPort;
        if (port == 0) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "The PostgreSQL server of " + files.dataDir()
                    + " is not running, so it has no port yet: start it first (`uplift db start`).");
        }
        return port;
    }

    private void adoptRunningPort() {
        files.livePostmaster().ifPresent(p -> p.port().ifPresent(port -> currentPort = port));
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + LoopbackPort.ADDRESS + ":" + port() + "/" + database;
    }

    /** Creates an empty UTF8 database owned by {@code owner}, connecting as {@code admin}. */
    public void createDatabase(PgCredentials admin, String name, String owner) {
        try (Connection connection = Jdbc.connect(jdbcUrl("postgres"), admin.user(), admin.password());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + Jdbc.quoteIdentifier(name) + " OWNER "
                    + Jdbc.quoteIdentifier(owner) + " TEMPLATE template0 ENCODING 'UTF8'");
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "Could not create database '" + name
                    + "' owned by '" + owner + "' on " + jdbcUrl("postgres") + ": " + e.getMessage(), e);
        }
    }

    public Path dataDir() {
        return files.dataDir();
    }

    public Path logFile() {
        return files.logFile();
    }

    public PgBinaries binaries() {
        return binaries;
    }

    public OsUser user() {
        return user;
    }

    private static String shellQuote(String text) {
        return "'" + text.replace("'", "'\"'\"'") + "'";
    }

    @Override
    public String toString() {
        return "PostgreSQL " + binaries.version() + " in " + files.dataDir();
    }
}
