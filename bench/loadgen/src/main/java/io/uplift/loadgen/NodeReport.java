package io.uplift.loadgen;

import java.util.List;
import java.util.Optional;

/**
 * What one node of a cluster run did for the load: its requests, its read outages and write freeze
 * (computed from its own requests only: a node can be down while the others serve), the versions its
 * health answered, and the secrets it acknowledged and how many of them were lost.
 */
public record NodeReport(String url, RequestCounts counts, long millisWithReadsFailing, List<OutageGap> readOutages,
                         Optional<OutageGap> writeFreeze, List<VersionWindow> versions, AckCheckResult secrets) {

    public NodeReport {
        readOutages = List.copyOf(readOutages);
        versions = List.copyOf(versions);
    }

    public static NodeReport of(String url, List<Outcome> outcomes, long runStart, long runEnd, AckCheckResult secrets) {
        Timeline timeline = new Timeline(outcomes, runStart, runEnd);
        return new NodeReport(url, RequestCounts.of(outcomes), timeline.millisWithReadsFailing(), timeline.readOutages(),
                timeline.writeFreeze(), VersionWindows.of(outcomes), secrets);
    }
}
