package io.uplift.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A backup that was written and verified.
 *
 * @param removed ids of older backups deleted by the retention rule afterwards
 */
public record BackupResult(BackupManifest manifest, Path folder, Duration took, VerifyResult verification, List<String> removed) {
    public BackupResult {
        removed = List.copyOf(removed);
    }

    public String id() {
        return manifest.id();
    }
}
