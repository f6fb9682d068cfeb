package io.uplift.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a backup holds, written as {@code manifest.json} once everything else is on disk, so a backup
 * with a manifest is a complete one. Paths are relative to the installation's home ("app/bin/lockbox")
 * and to the backup folder alike, since the copies keep the home's layout.
 *
 * @param home            the installation this is a backup of; retention only ever counts these
 * @param created         ISO-8601 UTC instant, for ordering
 * @param schemaVersion   Flyway's version at the time of the dump, null when the database has none
 * @param files           every folder, file and symbolic link copied from app/, config/ and data/
 * @param keysetFingerprint         the fingerprint of the backed-up config/keyset.json (from its header), null without one
 * @param databaseKeysetFingerprint the keyset fingerprint the dumped database recorded (table uplift_keyset), null without one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupManifest(
        int format,
        String id,
        String home,
        String created,
        String product,
        String version,
        String schemaVersion,
        int databaseServerMajor,
        String databaseServerVersion,
        String databaseName,
        String pgDumpVersion,
        Entry dump,
        List<Entry> files,
        String keysetFingerprint,
        String databaseKeysetFingerprint) {
    public static final int FORMAT = 1;
    public static final String FILE = "manifest.json";
    public static final String DUMP_FILE = "database.dump";

    public BackupManifest {
        files = List.copyOf(files);
    }

    /** A manifest that records no keyset (backups written before keyset fingerprints were recorded read this way too). */
    public BackupManifest(int format, String id, String home, String created, String product, String version, String schemaVersion,
            int databaseServerMajor, String databaseServerVersion, String databaseName, String pgDumpVersion, Entry dump, List<Entry> files) {
        this(format, id, home, created, product, version, schemaVersion, databaseServerMajor, databaseServerVersion, databaseName,
                pgDumpVersion, dump, files, null, null);
    }

    /**
     * One copied item. Owner and group are names (as on the source machine), mode is the POSIX
     * permission string; they are applied again on restore, so restored program files keep their
     * owner and stay executable whatever happened to the copies' own attributes.
     *
     * @param type "file", "dir" or "link"
     * @param link the target of a symbolic link, null otherwise
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(String path, String type, long size, String sha256, String mode, String owner, String group, String link) {
        public boolean isFile() {
            return "file".equals(type);
        }

        public boolean isDir() {
            return "dir".equals(type);
        }

        public boolean isLink() {
            return "link".equals(type);
        }
    }

    /** Bytes of the dump and of every copied file. */
    public long totalBytes() {
        return dump.size() + files.stream().filter(Entry::isFile).mapToLong(Entry::size).sum();
    }
}
