package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import io.uplift.db.PgTools;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What a move hands to its export (--export-dir), phase by phase; {@link #NONE} when there is
 * none, so the phases never ask whether there is one.
 */
interface MoveExport {
    MoveExport NONE = new MoveExport() {};

    /** The tee the rows go through: the caller's, and the export's own files when there is one. */
    default ChunkCopier.Tee after(ChunkCopier.Tee first) {
        return first;
    }

    /** The move's pre-data dump, before its done-mark is appended. */
    default void preData(Path dumped) throws IOException {}

    /** What needs the move's snapshot, once the rows are in: earlier runs' chunks, pre-data, sequences, large objects. */
    default void fromSnapshot(Snapshot snapshot) throws SQLException, IOException {}

    /** post-data.sql and the manifest, last; the manifest's path. */
    default Optional<Path> finish(Finish finish) throws SQLException, IOException {
        return Optional.empty();
    }

    /** The move's snapshot, on the source, and what was copied in it. */
    record Snapshot(MoveSettings settings, String id, Connection coordinator, Filters filters, List<Chunk> chunks, List<String> sequences,
            SchemaSections sections, MoveListener listener) {}

    /** What the manifest and post-data.sql are made from. */
    record Finish(PgTools tools, Path postDataDump, List<String> extraIndexes, Connection target, List<Chunk> chunks,
            String sourceVersion, String sourceDatabase, Optional<Path> sourceIndexesFile, MoveListener listener) {}
}
