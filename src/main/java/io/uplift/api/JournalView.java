package io.uplift.api;

import java.util.List;

/**
 * The journal of the upgrade in progress, or (when none is) of the last one that ended, as the console
 * and the support bundle show it. Holds no secret: the journal never records one.
 *
 * @param inProgress whether this is the journal of an upgrade not yet ended (resume or rollback applies)
 * @param state      the run's state as the journal records it (RUNNING, PAUSED, FAILED, DONE, ROLLED_BACK, ...)
 */
public record JournalView(String id, String from, String target, String state, boolean inProgress, String message,
        String backupId, String startedAt, String updatedAt, List<Entry> steps) {

    /** One step: its status (PENDING, RUNNING, DONE, FAILED, UNDONE, ...), times and the error it ended with. */
    public record Entry(String id, String kind, String hop, String status, String startedAt, String endedAt, long millis, String error) {}

    public JournalView {
        steps = List.copyOf(steps);
    }
}
