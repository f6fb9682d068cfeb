package io.uplift.catalog;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/**
 * The two checksums every release declares in its release.yaml, so that nothing Uplift runs or
 * installs can be damaged or swapped unnoticed:
 * <ul>
 * <li>{@code program-files-sha256}: the program folder ({@link TreeHash}: paths, executable bits, contents);
 * <li>{@code migrations-sha256}: what the release runs against the database: its migrations folder
 *     (a {@link TreeHash} too) and the SQL of its post-upgrade tasks, each with its task id.
 * </ul>
 * release.yaml itself is not covered (it holds the checksums); the task SQL inside it is. Vendors
 * compute both with {@code uplift catalog checksum releases/VERSION}.
 */
public record ReleaseChecksums(String programFiles, String migrations) {
    public static final String PROGRAM_FILES_FIELD = "program-files-sha256";
    public static final String MIGRATIONS_FIELD = "migrations-sha256";

    /** The checksums of the release's files as they are on disk now. */
    public static ReleaseChecksums of(Path programFiles, Path migrationsOrNull, List<Release.PostUpgradeTask> tasks) {
        return new ReleaseChecksums(TreeHash.of(programFiles), migrations(migrationsOrNull, tasks));
    }

    /** The migrations folder (absent: no migrations) and every task's SQL, unambiguously framed. */
    static String migrations(Path migrationsOrNull, List<Release.PostUpgradeTask> tasks) {
        MessageDigest md = Sha256.newDigest();
        update(md, "migrations " + (migrationsOrNull == null ? "none" : TreeHash.of(migrationsOrNull)));
        for (Release.PostUpgradeTask t : tasks) {
            if (t.sql().isPresent()) {
                byte[] sql = t.sql().get().getBytes(StandardCharsets.UTF_8);
                update(md, "task " + t.id() + " " + sql.length);
                md.update(sql);
            }
        }
        return Sha256.finish(md);
    }

    /**
     * What 'uplift catalog checksum FOLDER' prints: for a release folder (one with release.yaml) the
     * lines for its release.yaml; for any other folder its tree checksum alone, as program-files-sha256
     * has always been computed.
     */
    public static List<String> linesFor(Path folder) {
        if (Files.isRegularFile(folder.resolve("release.yaml"))) {
            return CatalogLoader.checksumsOf(folder).yamlLines();
        }
        return List.of(TreeHash.of(folder));
    }

    /** The two lines for release.yaml, as 'uplift catalog checksum' prints them. */
    public List<String> yamlLines() {
        return List.of(PROGRAM_FILES_FIELD + ": " + programFiles, MIGRATIONS_FIELD + ": " + migrations);
    }

    /**
     * Fails with {@link ErrorCode#RELEASE_CORRUPT} unless the release's migrations and task SQL are the
     * ones its catalog entry names. Called when an upgrade starts and again right before migrating, so a
     * migration swapped in between is caught before it runs.
     */
    public static void requireMigrationsIntact(Release release) {
        String now = migrations(release.migrations(), release.postUpgradeTasks());
        if (!now.equals(release.migrationsSha256())) {
            Path yaml = release.folder().resolve("release.yaml");
            throw new UpliftException(ErrorCode.RELEASE_CORRUPT, "The migrations of release " + release.version() + " ("
                    + (release.migrations() == null ? "no migrations folder" : release.migrations()) + ") or its post-upgrade task"
                    + " SQL do not match " + MIGRATIONS_FIELD + " in " + yaml + " (the files give " + now + "). A migration file"
                    + " was changed, added or removed after the catalog was written. Nothing was run; get an intact copy of the"
                    + " release from the vendor. (A vendor who changed it on purpose runs 'uplift catalog checksum "
                    + release.folder() + "' and updates release.yaml.)");
        }
    }

    private static void update(MessageDigest md, String line) {
        md.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
