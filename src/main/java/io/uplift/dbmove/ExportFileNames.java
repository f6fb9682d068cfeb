package io.uplift.dbmove;

import java.nio.charset.StandardCharsets;

/** The names of an export's files, relative to its folder. */
final class ExportFileNames {
    static final String PROGRESS = ".export-progress.jsonl";
    static final String PRE_DATA = "pre-data.sql";
    static final String POST_DATA = "post-data.sql";
    static final String SEQUENCES = "sequences.sql";
    /** Appended to a file's name while it is being written; a resumed export deletes such files. */
    static final String PARTIAL = ".partial";
    static final String LARGE_OBJECTS_ID = "large-objects";

    private ExportFileNames() {}

    /** data/SCHEMA.TABLE.I-of-N.copy[.zst] */
    static String chunk(Chunk chunk, MoveSettings.Compression compression) {
        return "data/" + safe(chunk.table().schema()) + "." + safe(chunk.table().name()) + "." + chunk.index() + "-of-" + chunk.of()
                + ".copy" + suffix(compression);
    }

    static String largeObjects(MoveSettings.Compression compression) {
        return "data/large-objects.copy" + suffix(compression);
    }

    private static String suffix(MoveSettings.Compression compression) {
        return compression == MoveSettings.Compression.NONE ? "" : ".zst";
    }

    /** Names as they are, except what a file name cannot hold or would make ambiguous: %XX. */
    static String safe(String name) {
        StringBuilder b = new StringBuilder();
        for (byte c : name.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }
}
