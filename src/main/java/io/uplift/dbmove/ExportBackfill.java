package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.WorkerPool;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Exports, from the source alone (COPY in the move's snapshot into the same kind of file), every
 * chunk that is done on the target but has no file yet: chunks an earlier run copied without
 * --export-dir, or whose file was not renamed before that run died.
 */
final class ExportBackfill {
    private ExportBackfill() {}

    static void run(List<Chunk> missing, ChunkCopier.Tee files, MoveSettings settings, String snapshot, Filters filters) {
        try (WorkerPool pool = WorkerPool.start("uplift-export", settings.threads())) {
            pool.drain(missing, () -> new FromSource(MoveConnections.inSnapshot(settings.source(), snapshot), files, filters),
                    cause -> new UpliftException(ErrorCode.DATABASE_MOVE, cause instanceof InterruptedException
                            ? "The export was interrupted; run the move again with --resume."
                            : "Exporting the chunks of an earlier run failed: " + cause.getMessage() + ". Run the move again with --resume.",
                            cause));
        }
    }

    /** One thread's connection in the snapshot, copying chunk after chunk into its file. */
    private record FromSource(Connection source, ChunkCopier.Tee files, Filters filters) implements WorkerPool.Worker<Chunk, Void> {
        @Override
        public Void accept(Chunk chunk) throws SQLException, IOException {
            CopyOut out = null;
            try (ChunkCopier.Sink sink = files.open(chunk)) {
                out = source.unwrap(PGConnection.class).getCopyAPI().copyOut(ChunkCopier.selectSql(chunk, filters.predicate(chunk.table())));
                byte[] buf;
                while ((buf = out.readFromCopy()) != null) {
                    sink.write(buf);
                }
                out = null;
                sink.finish();
            } finally {
                if (out != null && out.isActive()) {
                    try {
                        out.cancelCopy();
                    } catch (SQLException e) {
                        // the connection goes with the failure
                    }
                }
            }
            return null;
        }

        @Override
        public void close() throws SQLException {
            source.close();
        }
    }
}
