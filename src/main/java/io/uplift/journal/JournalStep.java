package io.uplift.journal;

/** One step's line in the journal. Times are ISO-8601 instants; {@code millis} is the apply time. */
public record JournalStep(String id, String kind, String hopFrom, String hopTo, StepStatus status,
        String startedAt, String endedAt, long millis, String error) {

    JournalStep with(StepStatus newStatus, String started, String ended, long ms, String err) {
        return new JournalStep(id, kind, hopFrom, hopTo, newStatus, started, ended, ms, err);
    }
}
