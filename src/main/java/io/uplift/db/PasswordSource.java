package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where the password of a database given on the command line comes from, first match wins:
 * <ol>
 *   <li>a password file named by a flag ({@code --source-password-file F}: its first line; mode 600 or refused);</li>
 *   <li>the connection string itself (or its pg_service.conf entry); written on the command line it is
 *       visible to every user in {@code ps} for as long as Uplift runs, so a warning names the safer ways;</li>
 *   <li>{@code PGPASSWORD};</li>
 *   <li>the libpq password file: {@code passfile=} of the string, else {@code PGPASSFILE}, else {@code ~/.pgpass};</li>
 *   <li>a question on the terminal, not echoed;</li>
 *   <li>none (the server may trust the connection).</li>
 * </ol>
 * The environment (PGPASSWORD, PGPASSFILE, HOME) and the terminal question are given, so tests need neither.
 */
public final class PasswordSource {
    private final Map<String, String> env;
    private final Function<String, Optional<char[]>> prompt;

    public PasswordSource(Map<String, String> env, Function<String, Optional<char[]>> prompt) {
        this.env = Map.copyOf(env);
        this.prompt = prompt;
    }

    /** The JVM's own environment and terminal. */
    public static PasswordSource system() {
        return new PasswordSource(System.getenv(), question -> System.console() == null ? Optional.empty()
                : Optional.ofNullable(System.console().readPassword("%s", question)));
    }

    /** The JVM's environment, never the terminal: for the console, whose terminal is not the operator's browser. */
    public static PasswordSource withoutTerminal() {
        return new PasswordSource(System.getenv(), question -> Optional.empty());
    }

    /**
     * @param flag         the flag of the connection string, e.g. "--source"
     * @param passwordFlag the flag of its password file, e.g. "--source-password-file"
     * @param passwordFile the file given with {@code passwordFlag}, if any
     * @param warnings     receives the warning about a password written on the command line
     */
    public String passwordFor(ConnectionString connection, String flag, String passwordFlag, Optional<Path> passwordFile,
            Consumer<String> warnings) {
        if (passwordFile.isPresent()) {
            if (connection.passwordInText()) {
                throw new UpliftException(ErrorCode.USAGE, flag + " holds a password and " + passwordFlag
                        + " names another: give it once, in the file only.");
            }
            return readPasswordFile(passwordFile.get(), passwordFlag);
        }
        if (connection.writtenPassword().isPresent()) {
            if (connection.passwordInText()) {
                warnings.accept("Warning: the password in " + flag + " is visible to every user of this machine (ps, /proc/PID/cmdline)"
                        + " for as long as Uplift runs. Use " + passwordFlag + " FILE (mode 600), ~/.pgpass or PGPASSWORD instead.");
            }
            return connection.writtenPassword().get();
        }
        String fromEnv = env.get("PGPASSWORD");
        if (fromEnv != null) {
            return fromEnv;
        }
        Optional<String> fromPassFile = passFile(connection).flatMap(file -> lookup(file, connection));
        if (fromPassFile.isPresent()) {
            return fromPassFile.get();
        }
        return prompt.apply("Password for " + connection + ": ").map(String::new).orElse("");
    }

    private Optional<Path> passFile(ConnectionString connection) {
        Optional<String> named = connection.option("passfile").or(() -> Optional.ofNullable(env.get("PGPASSFILE")));
        if (named.isPresent()) {
            return Optional.of(Path.of(named.get())).filter(Files::isRegularFile);
        }
        return Optional.ofNullable(env.get("HOME")).map(home -> Path.of(home, ".pgpass")).filter(Files::isRegularFile);
    }

    private static Optional<String> lookup(Path file, ConnectionString connection) {
        for (ConnectionString.Host host : connection.hosts()) {
            Optional<String> found = PassFile.lookup(file, host, connection.database(), connection.user());
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The first line of a password file given by a flag, without its line end. */
    static String readPasswordFile(Path file, String passwordFlag) {
        String what = passwordFlag + " " + file;
        if (!Files.isRegularFile(file)) {
            throw new UpliftException(ErrorCode.USAGE, what + " is not a file. Give a file (mode 600) holding the password on its first line.");
        }
        PassFile.requireOwnerOnly(file, what);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.USAGE, "Cannot read " + what + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new UpliftException(ErrorCode.USAGE, what + " is empty. Write the password on its first line.");
        }
        return lines.get(0);
    }
}
