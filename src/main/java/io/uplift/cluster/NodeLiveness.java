package io.uplift.cluster;

import io.uplift.api.NodeInfo;
import java.time.Duration;

/**
 * When a registered node counts as gone: the one threshold 'uplift nodes' (status "silent"),
 * 'uplift nodes forget' (refused below it) and 'uplift check' (a silent node fails it) share.
 */
public final class NodeLiveness {
    /**
     * 60 s: the gates beat every 10 to 15 s (Lockbox every 10 s, the gate's README suggests 15 s),
     * so a running node is never older than one period plus the time a beat takes; 60 s is four to
     * six missed beats, which rides out a slow beat, a long GC pause or a short restart of the
     * database server (the gate skips beats while it cannot connect), yet lets an operator who has
     * just stopped a node forget it a minute later. Erring short costs little: forgetting a node that
     * is in fact alive removes only its row, and its next heartbeat inserts it again.
     */
    public static final Duration SILENT_AFTER = Duration.ofSeconds(60);

    private NodeLiveness() {}

    public static boolean silent(long heartbeatAgeSeconds) {
        return heartbeatAgeSeconds >= SILENT_AFTER.toSeconds();
    }

    public static String status(long heartbeatAgeSeconds) {
        return silent(heartbeatAgeSeconds) ? NodeInfo.SILENT : NodeInfo.ALIVE;
    }

    /** "12 s", "4 min", "3 h", "2 d": how the messages say a heartbeat's age. */
    public static String age(long seconds) {
        return NodeInfo.duration(seconds);
    }
}
