package io.uplift.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a run measured, computed from the log and the acknowledged-write check; printed as a
 * summary and written as JSON. Events are counted, not verified: Lockbox's API has no read of one
 * event by id, and a listing of the latest ones cannot prove an older one is kept. The totals are
 * over every node, windows included (a read outage in the totals is a stretch between two successful
 * reads, through any node, that held a failed one: while one node is down the others keep these
 * short); {@code nodes} has one entry per node, the only one of a single-node run, with its own windows.
 */
public record Report(RunSettings settings, long runStart, long runEnd, RequestCounts counts,
                     Window longestWithoutSuccessfulRead, long millisWithReadsFailing, List<OutageGap> readOutages,
                     Window longestWithoutSuccessfulWrite, Optional<OutageGap> writeFreeze,
                     List<VersionWindow> versions, AckCheckResult secrets, long eventsAcknowledged,
                     List<NodeReport> nodes) {

    public Report {
        nodes = List.copyOf(nodes);
    }

    public static Report of(RunSettings settings, List<Outcome> outcomes, long runStart, long runEnd,
                            AckCheckResult secrets, long eventsAcknowledged) {
        return of(settings, outcomes, runStart, runEnd, new AckCheckResults(secrets, Map.of()), eventsAcknowledged);
    }

    public static Report of(RunSettings settings, List<Outcome> outcomes, long runStart, long runEnd,
                            AckCheckResults secrets, long eventsAcknowledged) {
        // The run's windows are what the users saw: a request rerouted to another node (--balance) did not
        // fail for them, so only its final outcome counts here; each node's own windows keep its refusals.
        Timeline timeline = new Timeline(outcomes.stream().filter(o -> o.cause() != Cause.REROUTED).toList(), runStart, runEnd);
        return new Report(settings, runStart, runEnd, RequestCounts.of(outcomes),
                timeline.longestWithoutSuccessfulRead(), timeline.millisWithReadsFailing(), timeline.readOutages(),
                timeline.longestWithoutSuccessfulWrite(), timeline.writeFreeze(), VersionWindows.of(outcomes),
                secrets.total(), eventsAcknowledged, nodeReports(settings, outcomes, runStart, runEnd, secrets));
    }

    /** A single node's report is the whole run's; in a cluster each node gets the requests that went to it. */
    private static List<NodeReport> nodeReports(RunSettings settings, List<Outcome> outcomes, long runStart, long runEnd,
                                                AckCheckResults secrets) {
        if (settings.nodes().size() == 1) {
            return List.of(NodeReport.of(settings.nodes().get(0), outcomes, runStart, runEnd, secrets.total()));
        }
        List<NodeReport> nodes = new ArrayList<>();
        for (String node : settings.nodes()) {
            List<Outcome> ofNode = outcomes.stream().filter(o -> node.equals(o.node())).toList();
            nodes.add(NodeReport.of(node, ofNode, runStart, runEnd, secrets.of(node)));
        }
        return nodes;
    }

    public boolean passed() {
        return secrets.passed();
    }

    public int exitCode() {
        return passed() ? 0 : 1;
    }
}
