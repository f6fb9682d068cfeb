package io.uplift.loadgen;

import java.util.List;
import java.util.Optional;

/**
 * Everything a run measured, computed from the log and the acknowledged-write check; printed as a
 * summary and written as JSON. Events are counted, not verified: Lockbox's API has no read of one
 * event by id, and a listing of the latest ones cannot prove an older one is kept.
 */
public record Report(RunSettings settings, long runStart, long runEnd, RequestCounts counts,
                     Window longestWithoutSuccessfulRead, long millisWithReadsFailing, List<OutageGap> readOutages,
                     Window longestWithoutSuccessfulWrite, Optional<OutageGap> writeFreeze,
                     List<VersionWindow> versions, AckCheckResult secrets, long eventsAcknowledged) {

    public static Report of(RunSettings settings, List<Outcome> outcomes, long runStart, long runEnd,
                            AckCheckResult secrets, long eventsAcknowledged) {
        Timeline timeline = new Timeline(outcomes, runStart, runEnd);
        return new Report(settings, runStart, runEnd, RequestCounts.of(outcomes),
                timeline.longestWithoutSuccessfulRead(), timeline.millisWithReadsFailing(), timeline.readOutages(),
                timeline.longestWithoutSuccessfulWrite(), timeline.writeFreeze(), VersionWindows.of(outcomes),
                secrets, eventsAcknowledged);
    }

    public boolean passed() {
        return secrets.passed();
    }

    public int exitCode() {
        return passed() ? 0 : 1;
    }
}
