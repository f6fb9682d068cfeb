package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes manifest.json, last: every chunk's file (rows from the target's done-records), in load
 * order. Refuses if a chunk has no file: such an export would be silently incomplete. Its
 * {@code createdAt} comes from the clock it is given.
 */
final class ExportManifestWriter {
    /** What the manifest says about the source and the tools, beside the files. */
    record Source(String serverVersion, String database, String pgDumpVersion, String sourceIndexesFile) {}

    /** The files other than the chunks' data. */
    record Files(ExportManifest.FileEntry preData, ExportManifest.FileEntry postData, ExportSequences.Written sequences,
            ExportManifest.LargeObjects largeObjects) {}

    private final Path dir;
    private final Clock clock;

    ExportManifestWriter(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    Path write(Connection target, List<Chunk> chunks, Function<String, ExportProgress.Written> written, MoveSettings.Compression compression,
            Source source, Files files) throws SQLException, IOException {
        ExportManifest m = manifest(dataFiles(chunks, written, chunkRows(target)), compression, source, files);
        Path file = dir.resolve(ExportManifest.FILE);
        DurableFiles.write(file, ExportManifest.JSON.writeValueAsBytes(m));
        return file;
    }

    ExportManifest manifest(List<ExportManifest.DataFile> data, MoveSettings.Compression compression, Source source, Files files) {
        return new ExportManifest(ExportManifest.FORMAT, ExportManifest.FORMAT_VERSION, source.serverVersion(), source.database(),
                clock.instant().toString(), source.pgDumpVersion(), compression.name().toLowerCase(java.util.Locale.ROOT), files.preData(),
                files.postData(), files.sequences().file(), data, files.sequences().values(), files.largeObjects(), source.sourceIndexesFile());
    }

    /** The chunks' files in load order; {@code written} answers null for a chunk without a file. */
    List<ExportManifest.DataFile> dataFiles(List<Chunk> chunks, Function<String, ExportProgress.Written> written, Map<String, Long> rows) {
        List<ExportManifest.DataFile> data = new ArrayList<>();
        int order = 0;
        for (Chunk c : chunks) {
            ExportProgress.Written w = written.apply(c.id());
            Long n = rows.get(c.id());
            if (w == null || n == null) {
                throw new UpliftException(ErrorCode.DATABASE_MOVE, "The export in " + dir + " has no file for " + c.id()
                        + "; run the move again with --resume to complete it.");
            }
            TableInfo t = c.table();
            data.add(new ExportManifest.DataFile(++order, w.file(), t.schema(), t.name(), t.qualified(), t.columns(), c.index(), c.of(),
                    c.range(), t.binary() ? "binary" : "text", w.compression(), w.zstdLevel(), n, w.copyBytes(), w.bytes(), w.sha256()));
        }
        return data;
    }

    private static Map<String, Long> chunkRows(Connection target) throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT id, rows FROM " + MoveProgress.SCHEMA + ".chunk")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        return rows;
    }
}
