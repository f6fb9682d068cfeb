package io.uplift.console;

import io.javalin.Javalin;
import io.uplift.Uplift;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.console.pages.AllPages;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * 'uplift console': the web pages of the built-in installer, over the same facade as the command
 * line, in a process of their own (so they keep working while the product is stopped). Everything
 * that can be refused is refused before the server listens: a non-loopback address without TLS, a
 * port in use, a home that is not an installation, no admin password at the first start.
 */
public final class ConsoleServer implements AutoCloseable {
    private final Javalin app;
    private final Runs runs;
    private final EventStream events;
    private final String url;

    private ConsoleServer(Javalin app, Runs runs, EventStream events, String url) {
        this.app = app;
        this.runs = runs;
        this.events = events;
        this.url = url;
    }

    /**
     * @param facade         a new facade for the console's home (with the command line's --catalog)
     * @param promptPassword asks the operator for a new admin password on the terminal (twice), when
     *                       there is one and no password file was given; empty without a terminal
     */
    public static ConsoleServer start(ConsoleSettings settings, Supplier<Uplift> facade, Supplier<Optional<char[]>> promptPassword,
            PrintWriter out) throws IOException {
        InetAddress address = address(settings);
        facade.get().upgradeState(); // a clear error now for a folder that is not an installation
        AdminPassword password = adminPassword(settings, promptPassword, out);
        char[] keystorePassword = settings.tlsKeystore().map(k -> keystorePassword(settings)).orElse(null);
        requirePortFree(address, settings.port());

        Clock clock = Clock.systemUTC();
        Sessions sessions = new Sessions(clock);
        Runs runs = new Runs(facade);
        Assets assets = new Assets();
        Guard guard = new Guard(sessions, runs, assets, settings.tls());
        EventStream events = new EventStream(facade, runs, sessions);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = address.getHostAddress();
            config.jetty.port = settings.port();
            if (settings.tls()) {
                config.jetty.modifyServer(server -> server.setConnectors(new Connector[] {
                        https(server, settings, keystorePassword, address)}));
            }
            config.routes.before(guard::before);
            config.routes.exception(Refusal.class, (e, ctx) -> {
                if (e.status() == 303) {
                    ctx.redirect(e.getMessage(), io.javalin.http.HttpStatus.SEE_OTHER);
                } else {
                    ctx.status(e.status()).contentType("text/plain; charset=utf-8").result(e.getMessage() + "\n");
                }
            });
            config.routes.exception(UpliftException.class, (e, ctx) -> ctx.status(e.code() == ErrorCode.INTERNAL ? 500 : 400)
                    .contentType("text/plain; charset=utf-8").result(e.getMessage() + "\n"));
            config.routes.get("/assets/{name}", ctx -> {
                var asset = assets.find(ctx.pathParam("name"));
                if (asset.isEmpty()) {
                    ctx.status(404).result("No such asset (an old page? reload it).");
                    return;
                }
                ctx.header("Cache-Control", "public, max-age=31536000, immutable");
                ctx.contentType(asset.get().contentType()).result(asset.get().bytes());
            });
            config.routes.sse("/events", events::open);
            new SignIn(password, sessions, new LoginThrottle(clock), assets, settings.tls()).register(config.routes);
            AllPages.register(new ConsoleRoutes(config.routes, facade, runs));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            events.close();
            if (causedBy(e, BindException.class)) {
                throw portInUse(address, settings.port());
            }
            throw e;
        }
        String url = (settings.tls() ? "https://" : "http://") + host(address) + ":" + app.port() + "/";
        return new ConsoleServer(app, runs, events, url);
    }

    public String url() {
        return url;
    }

    public int port() {
        return app.port();
    }

    /** Stops taking requests; a running upgrade first pauses after its current step, as on Ctrl-C in a terminal. */
    @Override
    public void close() {
        runs.shutdown();
        try {
            runs.awaitIdle(java.time.Duration.ofHours(24));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
        app.stop();
    }

    private static InetAddress address(ConsoleSettings settings) {
        InetAddress address;
        try {
            address = InetAddress.getByName(settings.bind());
        } catch (UnknownHostException e) {
            throw ConsoleException.usage("--bind " + settings.bind() + " is not an address of this machine: give an IP address such as 127.0.0.1.");
        }
        if (!address.isLoopbackAddress() && !settings.tls()) {
            throw ConsoleException.usage("--bind " + settings.bind() + " is not a loopback address, and without TLS the admin password and"
                    + " the session cookie would cross the network in clear text. Give --tls-keystore FILE (PKCS#12, with"
                    + " --tls-password-file), or keep the default 127.0.0.1 and reach it through an SSH tunnel.");
        }
        if (settings.port() < 0 || settings.port() > 65535) {
            throw ConsoleException.usage("--port " + settings.port() + " is not a TCP port: give 1 to 65535 (0 picks a free one).");
        }
        return address;
    }

    private static AdminPassword adminPassword(ConsoleSettings settings, Supplier<Optional<char[]>> prompt, PrintWriter out) throws IOException {
        var home = settings.home();
        if (settings.adminPasswordFile().isPresent()) {
            char[] given = OwnerOnlyFiles.readSecret(settings.adminPasswordFile().get(), "--admin-password-file");
            boolean replacing = AdminPassword.isSet(home);
            AdminPassword set = AdminPassword.set(home, given, "--admin-password-file " + settings.adminPasswordFile().get());
            Arrays.fill(given, '\0');
            out.println((replacing ? "The admin password was replaced" : "The admin password was set") + " (stored as an Argon2id hash in "
                    + AdminPassword.file(home) + ").");
            return set;
        }
        if (AdminPassword.isSet(home)) {
            return AdminPassword.load(home);
        }
        Optional<char[]> typed = prompt.get();
        if (typed.isEmpty()) {
            throw ConsoleException.usage("The console has no admin password yet, and there is no terminal to ask for one: give it once"
                    + " with --admin-password-file FILE (a file of mode 600 holding the password on its first line; at least "
                    + AdminPassword.MIN_LENGTH + " characters).");
        }
        AdminPassword set = AdminPassword.set(home, typed.get(), "the terminal");
        Arrays.fill(typed.get(), '\0');
        out.println("The admin password was set (stored as an Argon2id hash in " + AdminPassword.file(home) + ").");
        return set;
    }

    private static char[] keystorePassword(ConsoleSettings settings) {
        var keystore = settings.tlsKeystore().get();
        if (!Files.isReadable(keystore)) {
            throw ConsoleException.usage("--tls-keystore " + keystore + " cannot be read: give a PKCS#12 file holding the certificate and its key.");
        }
        Path passwordFile = settings.tlsPasswordFile().orElseThrow(() -> ConsoleException.usage(
                "--tls-keystore needs --tls-password-file FILE: the keystore's password, in a file of mode 600 (never on the command line)."));
        return OwnerOnlyFiles.readSecret(passwordFile, "--tls-password-file");
    }

    private static ServerConnector https(org.eclipse.jetty.server.Server server, ConsoleSettings settings, char[] password, InetAddress address) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(settings.tlsKeystore().get().toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(new String(password));
        ServerConnector connector = new ServerConnector(server, ssl);
        connector.setHost(address.getHostAddress());
        connector.setPort(settings.port());
        return connector;
    }

    private static void requirePortFree(InetAddress address, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw portInUse(address, port);
        }
    }

    private static UpliftException portInUse(InetAddress address, int port) {
        return ConsoleException.usage("Port " + port + " on " + address.getHostAddress() + " is in use by another program: stop it, or give"
                + " the console another one with --port N. Nothing was started.");
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String host(InetAddress address) {
        String h = address.getHostAddress();
        return h.contains(":") ? "[" + h + "]" : h;
    }
}
