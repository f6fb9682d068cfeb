package io.uplift.catalog;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** One release of the product, as its release.yaml describes it. Folders are absolute. */
public record Release(
        Version version,
        String summary,
        VersionRange upgradeFrom,
        boolean requiredStop,
        List<Version> requires,
        Prerequisites prerequisites,
        Path folder,
        Path migrations,
        Path programFiles,
        Optional<String> programFilesSha256,
        List<String> nodeLocalFiles,
        boolean keyRotationRequired,
        List<EncryptedColumn> encryptedColumns,
        TokenFormats tokenFormats,
        List<PostUpgradeTask> postUpgradeTasks,
        List<ObsoleteDependency> obsoleteDependencies) {

    public record EncryptedColumn(String table, String column) {}

    public record TokenFormats(Optional<String> introduces, List<String> deprecates) {}

    public enum TaskMode { AUTOMATIC, MANUAL }

    /** Work that follows an upgrade, such as the data classifier's "update taxonomies". */
    public record PostUpgradeTask(String id, String title, TaskMode mode, Optional<String> sql, Optional<String> instructions) {}

    /** Something the upgrade leaves behind for the operator to remove once satisfied. */
    public record ObsoleteDependency(String id, String description) {}
}
