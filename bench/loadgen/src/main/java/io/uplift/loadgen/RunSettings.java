package io.uplift.loadgen;

import java.util.List;

/**
 * What the report repeats about how the run was driven, and why it stopped.
 *
 * @param url   the nodes' base URLs as one text (comma-separated when several)
 * @param nodes every node's base URL, in the order the load took them in turn
 */
public record RunSettings(String url, int rate, double writeShare, int workers, String stoppedBy, List<String> nodes) {

    public RunSettings {
        nodes = List.copyOf(nodes);
    }

    /** One node. */
    public RunSettings(String url, int rate, double writeShare, int workers, String stoppedBy) {
        this(url, rate, writeShare, workers, stoppedBy, List.of(url));
    }

    public static RunSettings of(List<String> nodes, int rate, double writeShare, int workers, String stoppedBy) {
        return new RunSettings(String.join(",", nodes), rate, writeShare, workers, stoppedBy, nodes);
    }
}
