package io.uplift.testsupport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One `uplift agent` per node of a {@link LockboxCluster}, each a real child JVM, at the fast pace the
 * cluster tests use; started together and awaited until every one beats. Keeps every agent it ever
 * started (a killed one's output too), so a failing test can print them all, and kills them all on close.
 */
public final class ClusterAgents implements AutoCloseable {
    /** Poll, lease and silence fast enough for a test, slow enough for a loaded 2-core machine. */
    public static final List<String> PACE = List.of("--poll-seconds", "0.3", "--lease-seconds", "3", "--silent-after-seconds", "30");
    private static final Duration ALL_BEATING = Duration.ofSeconds(60);

    private final LockboxCluster cluster;
    private final Path work;
    /** The agent serving each node now (index = node number - 1). */
    private final List<UpliftJvm> serving = new ArrayList<>();
    private final List<UpliftJvm> started = new ArrayList<>();

    private ClusterAgents(LockboxCluster cluster, Path work) {
        this.cluster = cluster;
        this.work = work;
    }

    /** An agent on every node, returned once all of them beat in the cluster's tables. */
    public static ClusterAgents startFor(LockboxCluster cluster, Path work) {
        ClusterAgents agents = new ClusterAgents(cluster, work);
        for (LockboxCluster.Node node : cluster.nodes()) {
            agents.serving.add(agents.launch(node));
        }
        int count = cluster.nodes().size();
        agents.serving.get(0).awaitWhileRunning(count + " agents beating", ALL_BEATING,
                () -> cluster.node(1).uplift().clusterStatus().agents().size() == count);
        return agents;
    }

    /** The agent serving node {@code number} (from 1). */
    public UpliftJvm of(int number) {
        return serving.get(number - 1);
    }

    /** Starts a new agent for node {@code number} in place of the one serving it (killed, or stopped, by the test). */
    public UpliftJvm restart(int number) {
        UpliftJvm fresh = launch(cluster.node(number));
        serving.set(number - 1, fresh);
        return fresh;
    }

    /** Runs an `uplift` command; one still running after {@code timeout} is killed and fails with every agent's log. */
    public UpliftJvm.Result run(Duration timeout, String... args) {
        UpliftJvm command = UpliftJvm.start(work, Map.of(), args);
        if (!command.exitsWithin(timeout)) {
            command.kill();
            throw new AssertionError("'uplift " + String.join(" ", args) + "' did not finish within " + timeout.toSeconds() + " s\n"
                    + command.result(-1) + logs());
        }
        return command.awaitExit(Duration.ofSeconds(5));
    }

    /** The output of every agent started, for a failure message. */
    public String logs() {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < serving.size(); i++) {
            logs.append("\n--- agent of node ").append(i + 1).append('\n').append(serving.get(i).out()).append(serving.get(i).err());
        }
        for (UpliftJvm gone : started) {
            if (!serving.contains(gone)) {
                logs.append("\n--- an agent replaced since\n").append(gone.out()).append(gone.err());
            }
        }
        return logs.toString();
    }

    @Override
    public void close() {
        started.forEach(UpliftJvm::kill);
    }

    private UpliftJvm launch(LockboxCluster.Node node) {
        List<String> args = new ArrayList<>(List.of("agent", "--home", node.home().toString()));
        args.addAll(PACE);
        UpliftJvm agent = UpliftJvm.start(work, Map.of(), args);
        started.add(agent);
        return agent;
    }
}
