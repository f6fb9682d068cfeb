package io.uplift.api;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * How one backup is taken: which client tools, how many backups of the installation to keep, and
 * which ones must survive whatever the count (the backup of an upgrade in progress).
 */
public record BackupSettings(Optional<Path> pgToolsDir, int keep, Set<String> protectedIds) {
    public static final int DEFAULT_KEEP = 3;

    public BackupSettings {
        if (keep < 1) {
            throw new UpliftException(ErrorCode.USAGE, "--keep must be 1 or more (the backup just taken is always kept), got " + keep + ".");
        }
        protectedIds = Set.copyOf(protectedIds);
    }

    public static BackupSettings defaults() {
        return new BackupSettings(Optional.empty(), DEFAULT_KEEP, Set.of());
    }
}
