package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.BackupSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which backups to delete after a new one: of the complete backups of one installation (same home),
 * the newest {@code keep} stay; older ones go, except protected ones (the backup an upgrade in
 * progress would roll back to). Backups of other installations sharing the folder are never touched.
 */
final class Retention {
    static final String RULE = "After each successful backup, the newest N complete backups of the installation"
            + " (--keep, default " + BackupSettings.DEFAULT_KEEP + ") are kept in the backup folder and older ones are deleted,"
            + " except the backup of an upgrade in progress, which is kept until the upgrade is finished or rolled back."
            + " Backups of other installations in the same folder are never deleted. Unfinished backups (ID.partial) are"
            + " deleted by the next backup.";

    private Retention() {}

    /** @param newestFirst complete backups, newest first, as {@link BackupStore#list()} returns them */
    static List<String> toDelete(List<BackupManifest> newestFirst, String home, int keep, Set<String> protectedIds) {
        List<String> doomed = new ArrayList<>();
        int kept = 0;
        for (BackupManifest m : newestFirst) {
            if (!home.equals(m.home())) {
                continue;
            }
            if (kept < keep) {
                kept++;
            } else if (!protectedIds.contains(m.id())) {
                doomed.add(m.id());
            }
        }
        return doomed;
    }
}
