package io.uplift.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The nodes the load is spread over, one HTTP client per base URL, taken in turn (round-robin): each
 * node gets an equal share of the schedule, as behind a load balancer without affinity. A single URL
 * is a cluster of one.
 */
public final class NodeClients {
    /** One node: its base URL (how the report names it) and its client. */
    public record Node(String url, LockboxClient client) {
    }

    private final List<Node> nodes;
    private final AtomicLong turn = new AtomicLong();

    public NodeClients(List<Node> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no node to send requests to");
        }
        this.nodes = List.copyOf(nodes);
    }

    public static NodeClients of(List<URI> urls, String token, Duration connectTimeout, Duration requestTimeout) {
        List<Node> nodes = new ArrayList<>();
        for (URI url : urls) {
            nodes.add(new Node(url.toString(), new LockboxClient(url, token, connectTimeout, requestTimeout)));
        }
        return new NodeClients(nodes);
    }

    /** The node whose turn it is. */
    public Node next() {
        return nodes.get(Math.floorMod(turn.getAndIncrement(), nodes.size()));
    }

    /** Every node once, the one whose turn it is first: where a read that one node cannot answer is tried next. */
    public List<Node> inTurn() {
        int first = Math.floorMod(turn.getAndIncrement(), nodes.size());
        List<Node> ordered = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            ordered.add(nodes.get((first + i) % nodes.size()));
        }
        return ordered;
    }

    public List<String> urls() {
        return nodes.stream().map(Node::url).toList();
    }
}
