package io.uplift.testsupport;

import io.uplift.Uplift;
import io.uplift.api.DemoService;
import io.uplift.api.DemoSettings;
import io.uplift.api.JoinedNode;
import io.uplift.api.ProgressListener;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A Lockbox cluster on this machine for the cluster tests: node 1 is a demo installation (Lockbox
 * 1.0 with a little generated data, its PostgreSQL 10 server managed by Uplift), nodes 2..N joined to
 * it with {@link Uplift#demoJoinNode} (homes HOME-node2.. beside it), every node's Lockbox started with
 * the catalog's start command. {@link #start} returns once every node answers /health and is
 * registered in uplift_nodes under its own node id; {@link #close} stops every Lockbox, then the
 * database server.
 */
public final class LockboxCluster implements AutoCloseable {
    /** Few rows: the cluster tests are about nodes, not data, and must start in seconds. */
    private static final long EVENTS = 200;
    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);

    /**
     * One running node.
     *
     * @param number    1 for the node that manages the database server, then 2, 3...
     * @param tokenFile a file (mode 600, in HOME.load/ beside the home) holding an app token made on
     *                  this node; tokens live in the shared database, so any node's works on every node
     */
    public record Node(int number, Path home, String url, int port, Path tokenFile) {
        public Uplift uplift() {
            return Uplift.configure().home(home).load();
        }

        public String token() {
            try {
                return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read the app token of node " + number + " in " + tokenFile, e);
            }
        }

        /** The id its node gate made on its first admission (HOME/.uplift/node-id). */
        public String nodeId() {
            try {
                return Files.readString(home.resolve(".uplift/node-id"), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("Node " + number + " in " + home + " has no readable .uplift/node-id", e);
            }
        }
    }

    /** The file a worker or proxy node's component reads its app token from (product.yaml tokens.component-files). */
    public static final String COMPONENT_TOKEN_FILE = "config/app-token";

    private final Path firstHome;
    private final List<String> roles;
    private final List<Path> homes = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();

    private LockboxCluster(Path firstHome, List<String> roles) {
        this.firstHome = firstHome;
        this.roles = List.copyOf(roles);
    }

    /** Three nodes, as the cluster tests use. */
    public static LockboxCluster start() {
        return start(3);
    }

    public static LockboxCluster start(int nodeCount) {
        return start(nodeCount, DemoSettings.demoCatalog());
    }

    /** {@code nodeCount} web nodes installed from {@code catalog} (a test's copy of the Lockbox catalog with a release changed). */
    public static LockboxCluster start(int nodeCount, Path catalog) {
        return startWith(catalog, home -> { }, homes -> { }, webNodes(nodeCount));
    }

    /**
     * Like {@link #start(int)}, with {@code beforeJoin} run on node 1's home once the demo is prepared,
     * before any node joins or starts: to bring the installation to another release or database server
     * first (e.g. {@link ManagedServerTo16}, then a single-node upgrade), which the joined nodes then share.
     */
    public static LockboxCluster start(int nodeCount, Consumer<Path> beforeJoin) {
        return startWith(DemoSettings.demoCatalog(), beforeJoin, homes -> { }, webNodes(nodeCount));
    }

    /**
     * One node per role, node 1 first (e.g. web, worker, proxy). Each role goes into the node's
     * config/lockbox.properties (node.role), which its gate registers; a worker or proxy node also gets
     * an app token of its own, made with 'lockbox token create ROLE-nodeN' on that node before its first
     * start and put in {@link #COMPONENT_TOKEN_FILE} (mode 600), as an installer would.
     */
    public static LockboxCluster startWithRoles(String... roles) {
        return startWith(DemoSettings.demoCatalog(), home -> { }, homes -> { }, roles);
    }

    private static String[] webNodes(int nodeCount) {
        return java.util.Collections.nCopies(nodeCount, "web").toArray(String[]::new);
    }

    /**
     * Like {@link #start(int)}, running {@code beforeStart} on every node's home (node 1's first) once
     * they exist, while node 1's database server runs and before any Lockbox starts (the mirror test
     * makes a standby of the server there).
     */
    public static LockboxCluster startAfter(int nodeCount, Consumer<List<Path>> beforeStart) {
        return startWith(DemoSettings.demoCatalog(), home -> { }, beforeStart, webNodes(nodeCount));
    }

    private static LockboxCluster startWith(Path catalog, Consumer<Path> beforeJoin, Consumer<List<Path>> beforeStart, String... roles) {
        Path first = TestPostgres.newTraversableTempDir().resolve("lockbox");
        LockboxCluster cluster = new LockboxCluster(first, List.of(roles));
        try {
            cluster.build(roles.length, catalog, beforeJoin, beforeStart);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void build(int nodeCount, Path catalog, Consumer<Path> beforeJoin, Consumer<List<Path>> beforeStart) {
        Uplift uplift = Uplift.configure().home(firstHome).load();
        uplift.prepareDemo(new DemoSettings(EVENTS, 7, catalog), ProgressListener.NONE);
        beforeJoin.accept(firstHome);
        homes.add(firstHome);
        for (int n = 2; n <= nodeCount; n++) {
            JoinedNode joined = uplift.demoJoinNode(firstHome.resolveSibling(firstHome.getFileName() + "-node" + n));
            homes.add(Path.of(joined.home()));
        }
        beforeStart.accept(List.copyOf(homes));
        // Node 1 first: its node gate creates uplift_nodes, which two gates creating at once could trip
        // over. Then the others together: each start waits for its JVM, and they need not wait in turn.
        nodes.add(startNode(1));
        ExecutorService starters = Executors.newFixedThreadPool(Math.max(1, homes.size() - 1));
        try {
            List<CompletableFuture<Node>> others = new ArrayList<>();
            for (int n = 2; n <= homes.size(); n++) {
                int number = n;
                others.add(CompletableFuture.supplyAsync(() -> startNode(number), starters));
            }
            RuntimeException failure = null;
            for (CompletableFuture<Node> other : others) {
                try {
                    nodes.add(other.join());
                } catch (CompletionException e) {
                    failure = e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
            if (failure != null) {
                throw failure;
            }
        } finally {
            starters.shutdown();
        }
        long giveUpAt = System.nanoTime() + READY_DEADLINE.toNanos();
        for (Node node : nodes) {
            awaitServingAndRegistered(node, giveUpAt);
        }
    }

    /** Starts node {@code number}'s Lockbox with the catalog's start command and makes an app token through it. */
    private Node startNode(int number) {
        Path home = homes.get(number - 1);
        giveRole(number, home);
        Uplift node = Uplift.configure().home(home).load();
        node.startServices();
        DemoService service = node.demoService();
        return new Node(number, home, service.url(), URI.create(service.url()).getPort(), service.tokenFile());
    }

    /** The role node {@code number} was given (web unless {@link #startWithRoles} said otherwise). */
    public String role(int number) {
        return roles.get(number - 1);
    }

    private void giveRole(int number, Path home) {
        String role = roles.get(number - 1);
        if (role.equals("web")) {
            return;
        }
        try {
            Files.writeString(home.resolve("config/lockbox.properties"), "node.role=" + role + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
            if (role.equals("worker") || role.equals("proxy")) {
                String token = createToken(home, role + "-node" + number);
                Path tokenFile = Files.createFile(home.resolve(COMPONENT_TOKEN_FILE),
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                Files.writeString(tokenFile, token + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot give node " + number + " (" + home + ") the role " + role, e);
        }
    }

    /** 'lockbox token create NAME' of the release installed on the node: the token on stdout, only its hash in the database. */
    private static String createToken(Path home, String name) throws IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                home.resolve("app/lib").toString() + "/*", "io.lockbox.Lockbox", "token", "create", name, "--scope", "component",
                "--home", home.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                p.destroyForcibly();
                throw new IllegalStateException("'lockbox token create " + name + "' in " + home + " failed (see the test's stderr)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while making a token in " + home, e);
        }
        return out;
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** Node {@code number}, counted from 1. */
    public Node node(int number) {
        return nodes.get(number - 1);
    }

    /** The product database, as the nodes reach it (node 1's settings). */
    public Connection connect() {
        DatabaseSettings db = DatabaseSettings.read(firstHome);
        return Jdbc.connect(db.url(), db.user(), db.password());
    }

    /** Every node's base URL, comma-separated, as the load generator's --url takes them. */
    public String urls() {
        return String.join(",", nodes.stream().map(Node::url).toList());
    }

    private void awaitServingAndRegistered(Node node, long giveUpAt) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String last = "nothing yet";
        while (System.nanoTime() < giveUpAt) {
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && Files.isRegularFile(node.home().resolve(".uplift/node-id")) && registered(node)) {
                    return;
                }
                last = "health " + health.statusCode() + ", registered: no";
            } catch (IOException | SQLException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while node " + node.number() + " came up", e);
            }
            try {
                Thread.sleep(100); // polling, bounded by the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while node " + node.number() + " came up", e);
            }
        }
        throw new IllegalStateException("Node " + node.number() + " (" + node.home() + ", " + node.url() + ") did not serve and register within "
                + READY_DEADLINE.toSeconds() + " s; last: " + last + ". Its log is " + node.home().resolve("data/lockbox.out"));
    }

    private boolean registered(Node node) throws SQLException {
        try (Connection conn = connect();
             PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM uplift_nodes WHERE node_id = ? AND home = ?")) {
            ps.setString(1, node.nodeId());
            ps.setString(2, node.home().toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        } catch (UpliftException e) {
            return false; // the server may still be starting
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return false; // no gate has created uplift_nodes yet
            }
            throw e;
        }
    }

    /** Stops every Lockbox (nodes joined last first), then node 1's database server; goes on past failures. */
    @Override
    public void close() {
        List<Path> reversed = new ArrayList<>(homes);
        java.util.Collections.reverse(reversed);
        for (Path home : reversed) {
            stopLockbox(home);
        }
        if (Files.isRegularFile(firstHome.resolve(".uplift/state.json"))) {
            try {
                Uplift.configure().home(firstHome).load().stopDatabase();
            } catch (RuntimeException e) {
                // Already stopped, or never started.
            }
        }
    }

    /** The stop command; when it cannot run (a start that failed half-way), the process in data/lockbox.pid is killed. */
    private static void stopLockbox(Path home) {
        try {
            Uplift.configure().home(home).load().stopServices();
        } catch (RuntimeException e) {
            Path pidFile = home.resolve("data/lockbox.pid");
            try {
                if (Files.isRegularFile(pidFile)) {
                    ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (IOException | NumberFormatException ignored) {
                // Nothing running that we can name.
            }
        }
    }
}
