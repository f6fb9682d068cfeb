package io.uplift.journal;

import java.util.List;

/**
 * The durable record of one upgrade: written before and after every step, so that whatever stops
 * the process, the next Uplift knows exactly where things stand.
 *
 * @param planChecksum SHA-256 over the plan's step ids and the catalog files of its releases: a
 *                     resume refuses to go on if someone edited the catalog meanwhile
 * @param backupId     the verified backup taken before anything changed; rollback restores from it
 * @param databaseRestored whether a rollback already restored the database from the backup
 */
public record UpgradeJournal(String id, String product, String from, String target, RunState state,
        String planChecksum, String backupId, boolean databaseRestored, String startedAt, String updatedAt,
        String message, List<JournalStep> steps) {

    public UpgradeJournal {
        steps = List.copyOf(steps);
    }
}
