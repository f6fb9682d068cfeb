package io.uplift.cli;

import io.uplift.console.ConsoleServer;
import io.uplift.console.ConsoleSettings;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "console", mixinStandardHelpOptions = true,
        description = {"Serves the web console until SIGTERM or Ctrl-C: every page of the command line's work (status, plan",
                "and checks, the upgrade with live progress, journal and log, backups, app tokens, tasks, keys, nodes, the",
                "database move, maintenance mode, a support bundle), over the same engine. It runs in its own process, so it",
                "keeps working while the product is stopped; an upgrade started from it runs here, not in the browser.",
                "Loopback only unless a TLS certificate is given. The first start sets the admin password (stored as an",
                "Argon2id hash): from --admin-password-file, or typed twice on a terminal. Ctrl-C lets a running upgrade",
                "finish its step and pause, as 'uplift upgrade' does."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGTERM or Ctrl-C", "2:bad flag: a non-loopback --bind without TLS, a port in use, no admin password",
                "12:the home is not an installation, or the console's folder is unsafe"})
final class ConsoleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--port", paramLabel = "N", defaultValue = "7080", description = "The TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}). Another than loopback needs --tls-keystore.")
    String bind;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "A PKCS#12 keystore with the certificate and its key: serve HTTPS.")
    Path tlsKeystore;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "The keystore's password, in a file of mode 600.")
    Path tlsPasswordFile;

    @Option(names = "--admin-password-file", paramLabel = "FILE",
            description = "Sets (or replaces) the admin password from the first line of FILE (mode 600, at least 12 characters).")
    Path adminPasswordFile;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ConsoleSettings settings = new ConsoleSettings(home.home, bind, port, Optional.ofNullable(tlsKeystore),
                Optional.ofNullable(tlsPasswordFile), Optional.ofNullable(adminPasswordFile));
        ConsoleServer server = ConsoleServer.start(settings, () -> home.configure().load(), ConsoleCommand::typePassword, out);
        CountDownLatch stopAsked = new CountDownLatch(1);
        // Ctrl-C and SIGTERM end the console normally (exit 0) once a running upgrade has paused after its step.
        PauseOnSignal.install(stopAsked::countDown, spec.commandLine().getErr());
        out.println("Uplift console for " + home.home.toAbsolutePath().normalize() + " at " + server.url());
        out.println("Stop it with Ctrl-C (a running upgrade first finishes its step and pauses).");
        out.flush();
        stopAsked.await();
        server.close();
        out.println("console stopped");
        out.flush();
        return 0;
    }

    /** Asks twice on the terminal, without echo; empty when there is no terminal. */
    private static Optional<char[]> typePassword() {
        Console terminal = System.console();
        if (terminal == null) {
            return Optional.empty();
        }
        while (true) {
            char[] first = terminal.readPassword("New admin password for the console (at least 12 characters): ");
            char[] second = terminal.readPassword("The same again: ");
            if (first != null && Arrays.equals(first, second)) {
                Arrays.fill(second, '\0');
                return Optional.of(first);
            }
            terminal.printf("The two did not match; try again.%n");
        }
    }
}
