package io.uplift.journal;

import java.util.List;
import java.util.Map;

/**
 * The durable record of one upgrade: written before and after every step, so that whatever stops
 * the process, the next Uplift knows exactly where things stand.
 *
 * @param planChecksum SHA-256 over the plan's step ids and the catalog files of its releases: a
 *                     resume refuses to go on if someone edited the catalog meanwhile
 * @param backupId     the verified backup taken before anything changed; rollback restores from it
 * @param databaseRestored whether a rollback already restored the database from the backup
 * @param catalog    the catalog folder the upgrade was planned from; resume and rollback use it
 * @param backupDir  the backup folder (--backup-dir) the backup went to; rollback restores from it
 * @param facts      what steps observed before changing anything, for their undo (e.g. whether the
 *                   product's services were running)
 */
public record UpgradeJournal(String id, String product, String from, String target, RunState state,
        String planChecksum, String backupId, boolean databaseRestored, String startedAt, String updatedAt,
        String message, String catalog, String backupDir, Map<String, String> facts, List<JournalStep> steps) {

    public UpgradeJournal {
        steps = List.copyOf(steps);
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }

    UpgradeJournal with(RunState newState, String newBackupId, boolean restored, String now, String newMessage,
            Map<String, String> newFacts, List<JournalStep> newSteps) {
        return new UpgradeJournal(id, product, from, target, newState, planChecksum, newBackupId, restored, startedAt, now,
                newMessage, catalog, backupDir, newFacts, newSteps);
    }
}
