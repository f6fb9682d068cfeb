package io.uplift.dbmove;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * Copies one chunk: COPY TO STDOUT on the source, inside the shared snapshot, straight into COPY
 * FROM STDIN on the target, bytes passed through unparsed; then the chunk's done-record, and one
 * commit for both. On any failure both COPYs are cancelled before anything is closed, because
 * ending a COPY IN would commit a partial chunk.
 */
public final class ChunkCopier {
    /** Counts of one copied chunk. */
    record Copied(long rows, long bytes) {}

    /**
     * Receives a chunk's bytes as they pass, e.g. to write the export file in the same pass. A sink
     * closed without {@link Sink#finish()} was abandoned: it must leave no file that looks complete.
     */
    public interface Tee {
        Tee NONE = chunk -> new Sink() {
            @Override
            public void write(byte[] bytes) {}

            @Override
            public void finish() {}

            @Override
            public void close() {}
        };

        Sink open(Chunk chunk) throws IOException;
    }

    public interface Sink extends AutoCloseable {
        void write(byte[] bytes) throws IOException;

        /** Called once the chunk is committed on the target. */
        void finish() throws IOException;

        @Override
        void close() throws IOException;
    }

    private ChunkCopier() {}

    static String selectSql(Chunk chunk, String filter) {
        TableInfo t = chunk.table();
        String where = where(chunk.range(), filter);
        String format = t.binary() ? "(FORMAT binary)" : "(FORMAT text)";
        String cols = String.join(", ", t.columns());
        return where.isEmpty() ? "COPY " + t.qualified() + " (" + cols + ") TO STDOUT " + format
                : "COPY (SELECT " + cols + " FROM ONLY " + t.qualified() + " WHERE " + where + ") TO STDOUT " + format;
    }

    static String where(String range, String filter) {
        if (range.isEmpty()) {
            return filter.isEmpty() ? "" : "(" + filter + ")";
        }
        return filter.isEmpty() ? range : range + " AND (" + filter + ")";
    }

    static Copied copy(Chunk chunk, String filter, Connection source, Connection target, Tee tee, ByteCounter counter, boolean check)
            throws SQLException, IOException {
        TableInfo t = chunk.table();
        String format = t.binary() ? "(FORMAT binary)" : "(FORMAT text)";
        CopyOut out = null;
        CopyIn in = null;
        long bytes = 0;
        RowChecksum sent = check && t.binary() ? new RowChecksum(true) : null;
        try (Sink sink = tee.open(chunk)) {
            in = target.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + t.qualified() + " (" + String.join(", ", t.columns()) + ") FROM STDIN " + format);
            out = source.unwrap(PGConnection.class).getCopyAPI().copyOut(selectSql(chunk, filter));
            byte[] buf;
            while ((buf = out.readFromCopy()) != null) {
                in.writeToCopy(buf, 0, buf.length);
                sink.write(buf);
                if (sent != null) {
                    sent.accept(buf);
                }
                bytes += buf.length;
                counter.add(buf.length);
            }
            out = null;
            long rows = in.endCopy();
            in = null;
            Figures figures = check ? figures(chunk, filter, source, target, sent) : Figures.NONE;
            MoveProgress.chunkDone(target, chunk, rows, bytes, figures);
            target.commit();
            sink.finish();
            return new Copied(rows, bytes);
        } catch (SQLException | IOException | RuntimeException e) {
            cancel(out, in);
            target.rollback();
            throw e;
        }
    }

    /**
     * The chunk's figures, taken before its commit. Binary chunks: the checksum of the rows as the
     * source sent them; for a table copied in one chunk, against the same checksum of the rows read
     * back from the target in the chunk's own transaction, while they are still in the target's
     * memory. Both servers print the binary form of a value alike, so no second scan of the source
     * is needed. A table cut into several chunks is read back once, whole, when its last chunk is in
     * ({@link TableChecks}): a chunk's key range, read back from a table without indexes yet, would
     * scan every page copied so far. Text chunks (composites and arrays of user-defined types) print
     * floats differently on PostgreSQL 10 and 16: their figures come from {@link Validator} on both
     * servers, the source's in the same snapshot.
     */
    private static Figures figures(Chunk chunk, String filter, Connection source, Connection target, RowChecksum sent)
            throws SQLException, IOException {
        if (sent == null) {
            if (chunk.physical()) {
                return Figures.NONE; // ctid ranges mean nothing on the target: validation takes the whole table on both sides
            }
            return new Figures(Validator.figures(source, chunk, filter).text(), Validator.figures(target, chunk, "").text());
        }
        if (TableChecks.checkedWhole(chunk)) {
            return new Figures(sent.figure(), null); // the target's side: the whole table, once all its chunks are in
        }
        return new Figures(sent.figure(), RowChecksum.of(target, selectSql(chunk, "")));
    }

    /**
     * A chunk's row count and checksum on the source and on the target, as recorded with the chunk;
     * NONE when not checked; only the source's for a chunk of a table cut in several.
     */
    record Figures(String source, String target) {
        static final Figures NONE = new Figures(null, null);
    }

    private static void cancel(CopyOut out, CopyIn in) {
        try {
            if (in != null && in.isActive()) {
                in.cancelCopy();
            }
        } catch (SQLException e) {
            // the connection is going away; the transaction rolls back with it
        }
        try {
            if (out != null && out.isActive()) {
                out.cancelCopy();
            }
        } catch (SQLException e) {
            // same
        }
    }

    /** Bytes copied so far across all workers, for the progress bar. */
    interface ByteCounter {
        void add(long bytes);
    }
}
