package io.uplift.dbmove;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code manifest.json} of an export ({@code db move --export-dir}), written last: an export without
 * it is incomplete. Every file is listed with its size and SHA-256; {@code data} is in load order
 * (largest tables first, as the move copied them). Paths are relative to the export folder.
 *
 * @param formatVersion         {@link #FORMAT_VERSION}; an importer refuses a newer one
 * @param sourceServerVersion   server_version of the source, e.g. "10.23"
 * @param compression           the level the move was asked for (none, low, medium, high); each file says its own
 * @param preData               plain SQL, {@code psql -f}, before the data
 * @param postData              plain SQL (indexes, constraints, triggers), after the data
 * @param sequencesSql          the setval lines, the same values as {@code sequences}
 * @param largeObjects          null when the source has none
 */
public record ExportManifest(String format, int formatVersion, String sourceServerVersion, String sourceDatabase, String createdAt,
        String pgDumpVersion, String compression, FileEntry preData, FileEntry postData, FileEntry sequencesSql, List<DataFile> data,
        List<SequenceValue> sequences, LargeObjects largeObjects, String sourceIndexesFile) {

    public static final String FILE = "manifest.json";
    public static final String FORMAT = "uplift-export";
    public static final int FORMAT_VERSION = 1;

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** A file of the export. */
    public record FileEntry(String file, long bytes, String sha256) {}

    /**
     * One COPY file: the rows of one chunk of one table.
     *
     * @param qualified  the table as SQL ("schema"."name")
     * @param columns    quoted column names, in the order of the file's fields
     * @param format     "binary" or "text": the COPY format of the (decompressed) bytes
     * @param compression "none" (plain file) or "zstd"
     * @param zstdLevel  0 when not compressed
     * @param copyBytes  the COPY stream's size before compression
     * @param bytes      the file's size
     */
    public record DataFile(int order, String file, String schema, String table, String qualified, List<String> columns, int chunk,
            int of, String range, String format, String compression, int zstdLevel, long rows, long copyBytes, long bytes,
            String sha256) {
        /**
         * The COPY statement that loads this file's (decompressed) bytes, built from the names (each
         * quoted again, never pasted as written) and one of the fixed formats; the manifest's fields
         * were checked when it was read ({@link ManifestCheck}).
         */
        public String copyFromStdin() {
            if (!ManifestCheck.COPY_FORMATS.contains(format)) {
                throw new IllegalStateException("COPY format " + format);
            }
            List<String> quoted = columns.stream().map(c -> TableInfo.quote(Identifiers.unquote(c))).toList();
            return "COPY " + TableInfo.qualified(schema, table) + " (" + String.join(", ", quoted) + ") FROM STDIN WITH (FORMAT " + format + ")";
        }

        /** The column names, unquoted. */
        public List<String> columnNames() {
            return columns.stream().map(Identifiers::unquote).toList();
        }
    }

    /** A sequence's state: {@code SELECT setval('name', lastValue, isCalled)}. */
    public record SequenceValue(String name, long lastValue, boolean isCalled) {
        public String setval() {
            return "SELECT pg_catalog.setval('" + name.replace("'", "''") + "', " + lastValue + ", " + isCalled + ");";
        }
    }

    /**
     * Every large object in one binary COPY file of rows (loid oid, off bigint, data bytea), pieces of at
     * most 8 MB in order; an empty object has one row with empty data.
     */
    public record LargeObjects(long count, DataFile file) {}

    /** Every file the manifest names, for checksum verification. */
    public List<FileEntry> allFiles() {
        List<FileEntry> all = new ArrayList<>();
        all.add(preData);
        all.add(postData);
        all.add(sequencesSql);
        for (DataFile d : data) {
            all.add(new FileEntry(d.file(), d.bytes(), d.sha256()));
        }
        if (largeObjects != null) {
            all.add(new FileEntry(largeObjects.file().file(), largeObjects.file().bytes(), largeObjects.file().sha256()));
        }
        return all;
    }

    public static ExportManifest read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, dir + " holds no " + FILE + ": it is not a complete export (the manifest"
                    + " is written last; an export whose move did not finish has none). Finish the move with --resume, or export again.");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, file + " cannot be read as an export manifest: " + e.getMessage(), e);
        }
        JsonNode format = tree == null ? null : tree.get("format");
        JsonNode version = tree == null ? null : tree.get("formatVersion");
        if (format == null || !FORMAT.equals(format.asText()) || version == null || !version.isInt() || version.asInt() < 1
                || version.asInt() > FORMAT_VERSION) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, file + " is " + (format == null ? "of no format" : format.asText())
                    + " version " + version + " (fields format and formatVersion); this Uplift reads " + FORMAT + " version 1 to "
                    + FORMAT_VERSION + ". Nothing was imported.");
        }
        List<String> problems = ManifestCheck.problems(tree);
        if (!problems.isEmpty()) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, file + " is not a valid export manifest: " + String.join("; ", problems)
                    + ". Nothing was imported. Use the manifest the move wrote (copy the export again from its origin, or export again"
                    + " with 'uplift db move --export-dir').");
        }
        try {
            return JSON.treeToValue(tree, ExportManifest.class);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, file + " cannot be read as an export manifest: " + e.getMessage()
                    + ". Nothing was imported.", e);
        }
    }
}
