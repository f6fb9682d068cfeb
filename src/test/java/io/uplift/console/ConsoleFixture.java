package io.uplift.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.Uplift;
import io.uplift.cli.UpliftCommand;
import io.uplift.testsupport.TestPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import picocli.CommandLine;

/**
 * A demo Lockbox installation (1.0, on its own PostgreSQL 10) with a console serving it in this JVM
 * on a free loopback port, signed in with {@link #PASSWORD}. Closing it stops the console and the
 * demo's database server.
 */
public final class ConsoleFixture implements AutoCloseable {
    public static final String PASSWORD = "console-test-password-1";

    private final Path home;
    private final ConsoleServer server;
    private boolean ownsDemo;

    private ConsoleFixture(Path home, ConsoleServer server) {
        this.home = home;
        this.server = server;
    }

    /** A new demo installation with {@code events} generated events, and a console on it. */
    public static ConsoleFixture demo(int events) throws IOException {
        Path home = TestPostgres.newTraversableTempDir().resolve("lockbox");
        String out = cli("demo", "--prepare-only", "--home", home.toString(), "--events", String.valueOf(events), "--seed", "7");
        assertThat(Files.exists(home.resolve(".uplift"))).as(out).isTrue();
        ConsoleFixture fixture = on(home);
        fixture.ownsDemo = true;
        return fixture;
    }

    /** A console on an existing installation; closing it leaves the installation's database server running. */
    public static ConsoleFixture on(Path home) throws IOException {
        Path passwordFile = passwordFile(home.getParent(), PASSWORD);
        ConsoleSettings settings = new ConsoleSettings(home, "127.0.0.1", 0, Optional.empty(), Optional.empty(), Optional.of(passwordFile));
        ConsoleServer server = ConsoleServer.start(settings, () -> Uplift.configure().home(home).load(), Optional::empty,
                new PrintWriter(new StringWriter()));
        return new ConsoleFixture(home, server);
    }

    /** A password file as an operator writes it: mode 600, the password on its first line. */
    public static Path passwordFile(Path folder, String password) throws IOException {
        Path f = folder.resolve("admin-password-" + System.nanoTime());
        Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(f, password + "\n");
        return f;
    }

    public Path home() {
        return home;
    }

    public String url() {
        return server.url();
    }

    public ConsoleServer server() {
        return server;
    }

    /** A new HTTP client, signed in. */
    public ConsoleClient signedIn() {
        ConsoleClient c = new ConsoleClient(url());
        assertThat(c.signIn(PASSWORD).statusCode()).as("sign-in").isEqualTo(303);
        return c;
    }

    /** Runs the command line in this JVM (e.g. "tokens", "list", "--home", ...); returns its output and error text. */
    public static String cli(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = UpliftCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        int exit = cli.execute(args);
        return "exit " + exit + "\n" + out;
    }

    @Override
    public void close() {
        server.close();
        if (ownsDemo) {
            cli("db", "stop", "--home", home.toString());
        }
    }
}
