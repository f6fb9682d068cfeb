package io.uplift.api;

import java.time.Duration;

/**
 * How an agent paces itself; every value validated here, naming the option.
 *
 * @param poll        how often it reads the cluster tables when no notification wakes it (--poll-seconds)
 * @param lease       how long a leader's lease lasts without renewal: a leader paused longer loses it (--lease-seconds)
 * @param silentAfter an agent whose last heartbeat is older is not running, and a cluster upgrade is refused (--silent-after-seconds);
 *                    nodes are judged by the node gate's heartbeats against the fixed threshold 'uplift nodes' shows
 */
public record AgentSettings(Duration poll, Duration lease, Duration silentAfter) {
    public static final AgentSettings DEFAULTS = new AgentSettings(Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofSeconds(60));

    public AgentSettings {
        require(poll, "--poll-seconds", Duration.ofMillis(100));
        require(lease, "--lease-seconds", Duration.ofSeconds(1));
        require(silentAfter, "--silent-after-seconds", Duration.ofSeconds(1));
        if (lease.compareTo(poll.multipliedBy(2)) < 0) {
            throw new UpliftException(ErrorCode.USAGE, "--lease-seconds (" + lease.toMillis() / 1000.0 + ") must be at least twice --poll-seconds ("
                    + poll.toMillis() / 1000.0 + "): a leader renews its lease once per poll and must not lose it between two.");
        }
    }

    private static void require(Duration d, String option, Duration min) {
        if (d == null || d.compareTo(min) < 0) {
            throw new UpliftException(ErrorCode.USAGE, option + " must be at least " + min.toMillis() / 1000.0 + " seconds, not "
                    + (d == null ? "missing" : d.toMillis() / 1000.0) + ".");
        }
    }
}
