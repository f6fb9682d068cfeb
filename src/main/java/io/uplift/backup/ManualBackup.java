package io.uplift.backup;

import io.uplift.api.BackupResult;
import io.uplift.api.BackupSettings;
import io.uplift.api.ProgressListener;
import io.uplift.db.PgTools;
import io.uplift.install.Installation;
import io.uplift.install.ProductDatabase;
import io.uplift.journal.HomeLock;
import io.uplift.journal.Journal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * A backup the operator takes now ('uplift backup'), under the home lock so that it never copies
 * program files an upgrade is swapping. The backup of an interrupted upgrade is never removed by
 * retention: rollback needs it.
 */
public final class ManualBackup {
    private final Path home;
    private final Path backupDir;
    private final Clock clock;

    public ManualBackup(Path home, Path backupDir, Clock clock) {
        this.home = home;
        this.backupDir = backupDir;
        this.clock = clock;
    }

    public BackupResult take(BackupSettings settings, ProgressListener progress) {
        Installation inst = Installation.open(home);
        new ProductDatabase(inst).ensureRunning();
        Set<String> protectedIds = new HashSet<>(settings.protectedIds());
        try (HomeLock lock = HomeLock.acquire(inst.lockFile(), "uplift backup")) {
            // Read under the lock: an upgrade that starts meanwhile names its backup in the journal only after taking it.
            Journal.open(inst.journalFile(), clock).map(j -> j.get().backupId()).filter(id -> id != null).ifPresent(protectedIds::add);
            return new Backups(backupDir, PgTools.locate(settings.pgToolsDir()), FreeSpace.FILE_STORE, settings.keep(), clock)
                    .create(inst, progress, protectedIds);
        }
    }
}
