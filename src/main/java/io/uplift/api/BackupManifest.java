package io.uplift.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

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
 * @param databaseCopy    how the database was saved: {@link #DUMP} (pg_dump; also when absent, as in older backups) or
 *                        {@link #DATA_FOLDER} (a file copy of the stopped server's data folder, for servers Uplift manages)
 * @param dataFolder      for a data-folder copy: the server's data folder it came from and goes back to
 * @param databaseOsUser  for a data-folder copy: the OS user the server runs as
 * @param databaseFiles   for a data-folder copy: its entries, under {@value #DATABASE_FOLDER}/ in the backup folder
 * @param tableRows       for a data-folder copy: rows per table ("schema.table") read from the copy itself, by a
 *                        throwaway server started on it; verification starts one again and compares
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
        String databaseKeysetFingerprint,
        String databaseCopy,
        String dataFolder,
        String databaseOsUser,
        List<Entry> databaseFiles,
        Map<String, Long> tableRows) {
    public static final int FORMAT = 1;
    public static final String FILE = "manifest.json";
    public static final String DUMP_FILE = "database.dump";
    public static final String DUMP = "pg_dump";
    public static final String DATA_FOLDER = "data-folder";
    public static final String DATABASE_FOLDER = "database";

    public BackupManifest {
        files = List.copyOf(files);
        databaseFiles = databaseFiles == null ? null : List.copyOf(databaseFiles);
        tableRows = tableRows == null ? null : Map.copyOf(tableRows);
    }

    /** A backup whose database is a pg_dump (what every backup was before data-folder copies). */
    public BackupManifest(int format, String id, String home, String created, String product, String version, String schemaVersion,
            int databaseServerMajor, String databaseServerVersion, String databaseName, String pgDumpVersion, Entry dump, List<Entry> files,
            String keysetFingerprint, String databaseKeysetFingerprint) {
        this(format, id, home, created, product, version, schemaVersion, databaseServerMajor, databaseServerVersion, databaseName,
                pgDumpVersion, dump, files, keysetFingerprint, databaseKeysetFingerprint, DUMP, null, null, null, null);
    }

    /** Whether the database was saved as a copy of the server's data folder rather than a dump. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDataFolderCopy() {
        return DATA_FOLDER.equals(databaseCopy);
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
    // No is-getters in the JSON: Jackson took isLink() for the "link" property and wrote "link": true
    // instead of the link's target, so every backed-up link failed verification.
    @com.fasterxml.jackson.annotation.JsonAutoDetect(isGetterVisibility = com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.NONE)
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
        return databaseBytes() + files.stream().filter(Entry::isFile).mapToLong(Entry::size).sum();
    }

    /** Bytes of the dump, or of the copied data folder. */
    public long databaseBytes() {
        return dump != null ? dump.size()
                : databaseFiles == null ? 0 : databaseFiles.stream().filter(Entry::isFile).mapToLong(Entry::size).sum();
    }
}
