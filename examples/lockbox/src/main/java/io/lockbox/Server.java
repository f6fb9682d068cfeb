package io.lockbox;

import com.sun.net.httpserver.HttpServer;
import io.uplift.gate.Admission;
import io.uplift.gate.GateRefusal;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * 'lockbox serve': one process per node, in the foreground (app/bin/lockbox puts it in the
 * background). It reads the node's config, opens the keyset, asks the node gate, binds 127.0.0.1 on
 * the configured port, and writes data/lockbox.ready once it serves, which is what the start script
 * waits for. SIGTERM (and a heartbeat refusal) stop it cleanly: no new requests, those in flight end.
 *
 * <p>HTTP comes from the JDK's com.sun.net.httpserver: small, maintained with the JDK itself, and
 * enough for a loopback JSON API, so the demo product carries no web framework to upgrade. GET / and
 * /assets/* are a status page for a browser ({@link WebPages}); every other path is the API's.
 */
final class Server {
    private static final int WORKERS = 8;
    private static final int STOP_GRACE_SECONDS = 10;
    /** How long a stopping node still refuses with 503 before its sockets close (see stopServing). */
    private static final long CLOSE_LINGER_MILLIS = 1000;

    private final NodeHome home;

    Server(NodeHome home) {
        this.home = home;
    }

    /** Serves until stopped; returns the exit code. */
    int run() throws InterruptedException {
        Path ready = home.data().resolve("lockbox.ready");
        deleteQuietly(ready);
        ReleaseFeatures features = ReleaseFeatures.of(home.version());
        NodeHome.ServiceConfig service = home.service();
        LockboxLog log = LockboxLog.open(home.data().resolve("lockbox.log"));
        log.info("Lockbox " + features.version() + " starting in " + home.root() + " on 127.0.0.1:" + service.httpPort());
        ConnectionPool pool = new ConnectionPool(home);
        try {
            Keyring keyring = Keyring.load(home.keyset());
            requireDatabase(pool);
            GateLink gate;
            Admission admission;
            try {
                gate = GateLink.of(home, features.version(), service.role(), pool, log);
                admission = gate.admit();
            } catch (GateRefusal refusal) {
                log.error("Node gate refused to start: " + refusal.getMessage());
                System.err.println(refusal.getMessage());
                return refusal.exitCode();
            }
            String node = admission != null ? admission.nodeId() : hostName();
            ServiceState state = new ServiceState(pool);
            if (admission != null) {
                state.gateMaintenance(admission.maintenance());
            }
            ComponentToken component = ComponentToken.of(home, service.role(), pool, log);
            if (component != null) {
                component.checkIn(state.readOnly());
            }
            Api api = new Api(features, () -> node, pool, state, keyring, log);
            WebPages pages = new WebPages(HashedAssets.forRelease(features.version()), api::status);
            HttpServer http = bind(service.httpPort());
            ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
            http.setExecutor(workers);
            InFlight inFlight = new InFlight();
            http.createContext("/", exchange -> {
                Exchange x = new Exchange(exchange);
                try {
                    if (inFlight.enter()) {
                        try {
                            if (!pages.handle(x)) {
                                api.handle(x);
                            }
                        } finally {
                            inFlight.leave();
                        }
                    } else {
                        // Connection: close, so that the client's pooled connection to this node goes with this answer.
                        exchange.getResponseHeaders().set("Connection", "close");
                        x.error(new ApiError(503, "Lockbox is stopping on this node. Retry later."));
                    }
                } finally {
                    exchange.close();
                }
            });
            CountDownLatch stopped = new CountDownLatch(1);
            int[] exitCode = {0};
            AutoCloseable heartbeat = gate.startHeartbeat(a -> {
                state.gateMaintenance(a.maintenance());
                if (component != null) {
                    component.checkIn(state.readOnly());
                }
            }, refusal -> {
                log.error("Node gate refused on heartbeat; stopping: " + refusal.getMessage());
                System.err.println(refusal.getMessage());
                exitCode[0] = refusal.exitCode();
                stopped.countDown();
            });
            Thread hook = new Thread(() -> {
                stopped.countDown();
                stopServing(http, inFlight, workers, heartbeat, pool, ready, log);
            }, "lockbox-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            http.start();
            writeReady(ready, node);
            log.info("Lockbox " + features.version() + " serving on 127.0.0.1:" + service.httpPort() + " as node " + node);
            stopped.await();
            if (exitCode[0] != 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
                stopServing(http, inFlight, workers, heartbeat, pool, ready, log);
            }
            return exitCode[0];
        } catch (LockboxException e) {
            log.error(e.getMessage());
            pool.close();
            throw e;
        }
    }

    private static void requireDatabase(ConnectionPool pool) {
        try (Connection conn = pool.open()) {
            conn.isValid(5);
        } catch (SQLException e) {
            throw new LockboxException(LockboxException.DATABASE, "Cannot reach the database named in " + NodeHome.DATABASE_FILE + ": "
                    + e.getMessage() + ". Start the database server (uplift db start) or correct url, user and password there.", e);
        }
    }

    private static HttpServer bind(int port) {
        try {
            return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (BindException e) {
            throw new LockboxException(LockboxException.PORT_IN_USE, "Port " + port + " of 127.0.0.1 is in use (" + e.getMessage()
                    + "). Stop what listens there, or set another http.port in " + NodeHome.SERVICE_FILE + ".", e);
        } catch (IOException e) {
            throw new LockboxException(LockboxException.PORT_IN_USE, "Cannot listen on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    private static void stopServing(HttpServer http, InFlight inFlight, ExecutorService workers, AutoCloseable heartbeat, ConnectionPool pool,
            Path ready, LockboxLog log) {
        deleteQuietly(ready);
        try {
            heartbeat.close();
        } catch (Exception e) {
            log.error("Stopping the heartbeat: " + e.getMessage());
        }
        // The JDK 17 HttpServer.stop(delay) waits the whole delay even when nothing is in flight: wait for
        // the requests in flight here (new ones get 503), then stop at once.
        try {
            inFlight.drain(STOP_GRACE_SECONDS * 1000L);
            // Keep answering 503 with Connection: close a little longer before closing the sockets: a client
            // (or balancer) holding an idle keep-alive connection to this node gets a clean refusal it can send
            // elsewhere and drops the connection, instead of a reset in the middle of a write that it must not
            // retry. Closing at once loses such a write whenever a request is sent just as the socket closes.
            Thread.sleep(CLOSE_LINGER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
        log.info("Lockbox stopped");
        log.close();
    }

    /** The node's name for /health when the gate gave no id: the host's name. */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static void writeReady(Path ready, String node) {
        try {
            Path tmp = ready.resolveSibling("lockbox.ready.tmp");
            Files.writeString(tmp, ProcessHandle.current().pid() + " " + node + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new LockboxException(LockboxException.CONFIGURATION, "Cannot write " + ready + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // The start script checks the pid as well.
        }
    }
}
