package io.uplift.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for Lockbox in the tests, on 127.0.0.1, speaking the HTTP contract of issue 15: health,
 * bearer-token /api/*, secrets and events in memory, 503 + Retry-After to writes in maintenance. It
 * can be stopped (connection refused) and started again on the same port with another version, as
 * an upgrade does. Not a model of Lockbox's storage: the real Lockbox is exercised at integration.
 */
final class FakeLockbox implements AutoCloseable {
    private static final Pattern SECRET_BY_ID = Pattern.compile("/api/secrets/(\\d+)");

    private final ObjectMapper json = new ObjectMapper();
    private final String token;
    private final Map<Long, String[]> secrets = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1000);
    private final AtomicLong events = new AtomicLong();
    private final AtomicBoolean maintenance = new AtomicBoolean();
    /** When n > 0, every n-th acknowledged secret is not kept: a product that loses writes. */
    private volatile int loseEveryNthWrite;
    private volatile String version;
    private int port;
    private HttpServer server;
    private ExecutorService executor;

    private FakeLockbox(String token, String version) {
        this.token = token;
        this.version = version;
    }

    static FakeLockbox start(String token, String version) throws IOException {
        FakeLockbox lockbox = new FakeLockbox(token, version);
        lockbox.listen(0);
        return lockbox;
    }

    int port() {
        return port;
    }

    void maintenance(boolean on) {
        maintenance.set(on);
    }

    void loseEveryNthWrite(int n) {
        loseEveryNthWrite = n;
    }

    /** Like the service stopping for the upgrade: the port refuses connections until {@link #restart}. */
    void stop() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** The new version starts on the same port, out of maintenance. Binding is retried for a while:
     *  the port of the stopped server may take a moment to be free again. */
    void restart(String newVersion) throws IOException, InterruptedException {
        version = newVersion;
        maintenance.set(false);
        long giveUpAt = System.currentTimeMillis() + 10_000;
        while (true) {
            try {
                listen(port);
                return;
            } catch (BindException busy) {
                if (System.currentTimeMillis() > giveUpAt) {
                    throw busy;
                }
                Thread.sleep(50); // polling for the port, with a deadline
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void listen(int wanted) throws IOException {
        HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wanted), 50);
        executor = Executors.newFixedThreadPool(8);
        created.setExecutor(executor);
        created.createContext("/", this::handle);
        created.start();
        server = created;
        port = created.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            byte[] request = exchange.getRequestBody().readAllBytes();
            if (path.equals("/health")) {
                answer(exchange, 200, json.createObjectNode().put("product", "lockbox").put("version", version)
                        .put("node", "test-node").put("state", maintenance.get() ? "read-only" : "serving"));
                return;
            }
            if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, json.createObjectNode().put("error", "no valid token"));
                return;
            }
            if (method.equals("POST") && maintenance.get()) {
                exchange.getResponseHeaders().set("Retry-After", "5");
                answer(exchange, 503, json.createObjectNode().put("error", "An upgrade is under way: writes resume after it"));
                return;
            }
            Matcher byId = SECRET_BY_ID.matcher(path);
            if (method.equals("GET") && byId.matches()) {
                String[] secret = secrets.get(Long.parseLong(byId.group(1)));
                if (secret == null) {
                    answer(exchange, 404, json.createObjectNode().put("error", "no such secret"));
                } else {
                    answer(exchange, 200, json.createObjectNode().put("id", Long.parseLong(byId.group(1)))
                            .put("name", secret[0]).put("value", secret[1]));
                }
            } else if (method.equals("GET") && path.equals("/api/secrets")) {
                ObjectNode body = json.createObjectNode();
                ArrayNode list = body.putArray("secrets");
                secrets.entrySet().stream().limit(20)
                        .forEach(e -> list.addObject().put("id", e.getKey()).put("name", e.getValue()[0]));
                answer(exchange, 200, body);
            } else if (method.equals("POST") && path.equals("/api/secrets")) {
                JsonNode body = json.readTree(new String(request, StandardCharsets.UTF_8));
                long id = nextId.incrementAndGet();
                int lose = loseEveryNthWrite;
                if (lose == 0 || id % lose != 0) {
                    secrets.put(id, new String[] {body.get("name").asText(), body.get("value").asText()});
                }
                answer(exchange, 201, json.createObjectNode().put("id", id));
            } else if (method.equals("POST") && path.equals("/api/events")) {
                answer(exchange, 201, json.createObjectNode().put("id", events.incrementAndGet()));
            } else if (method.equals("GET") && path.equals("/api/events")) {
                ObjectNode body = json.createObjectNode();
                body.putArray("events").addObject().put("id", 1).put("kind", "login");
                answer(exchange, 200, body);
            } else if (method.equals("GET") && path.equals("/api/threats")) {
                ObjectNode body = json.createObjectNode();
                body.putArray("threats");
                answer(exchange, 200, body);
            } else {
                answer(exchange, 404, json.createObjectNode().put("error", "no route " + method + " " + path));
            }
        }
    }

    private void answer(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
