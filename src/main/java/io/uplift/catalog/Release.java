package io.uplift.catalog;

import io.uplift.api.ClusterMode;
import io.uplift.api.ObsoleteDependency;
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
        String programFilesSha256,
        String migrationsSha256,
        List<String> nodeLocalFiles,
        boolean keyRotationRequired,
        List<EncryptedColumn> encryptedColumns,
        TokenFormats tokenFormats,
        List<PostUpgradeTask> postUpgradeTasks,
        List<ObsoleteDependency> obsoleteDependencies,
        ClusterMode clusterMode) {

    /**
     * The folder of the migrations that the previous release's program runs on unchanged (add a
     * table, a nullable column, an index): a rolling upgrade applies them while nodes of the previous
     * release still serve. Only a rolling release has it (migrations/expand).
     */
    public Optional<Path> expandMigrations() {
        return clusterMode == ClusterMode.ROLLING && migrations != null ? Optional.of(migrations.resolve(EXPAND_FOLDER)) : Optional.empty();
    }

    /** Where a rolling release keeps its expand and contract migrations, inside its migrations folder. */
    public static final String EXPAND_FOLDER = "expand";
    public static final String CONTRACT_FOLDER = "contract";

    /**
     * A column holding ciphertext of the installation's keyset.
     *
     * @param idColumn          the row's key, for batches and as associated data
     * @param keyIdColumn       where the row records the Tink key id that encrypted it ("" if nowhere)
     * @param associatedData    "none", or "id": the row's id in decimal ASCII binds the ciphertext to its row
     */
    public record EncryptedColumn(String table, String column, String idColumn, String keyIdColumn, String associatedData) {
        public EncryptedColumn(String table, String column) {
            this(table, column, "id", "", "none");
        }
    }

    public record TokenFormats(Optional<String> introduces, List<String> deprecates) {}

    public enum TaskMode { AUTOMATIC, MANUAL }

    /** Work that follows an upgrade, such as the data classifier's "update taxonomies". */
    public record PostUpgradeTask(String id, String title, TaskMode mode, Optional<String> sql, Optional<String> instructions) {}
}
