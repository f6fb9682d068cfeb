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
            public void write(byte[] bytes, int off, int len) {}

            @Override
            public void finish() {}

            @Override
            public void close() {}
        };

        Sink open(Chunk chunk) throws IOException;
    }

    public interface Sink extends AutoCloseable {
        void write(byte[] bytes, int off, int len) throws IOException;

        default void write(byte[] bytes) throws IOException {
            write(bytes, 0, bytes.length);
        }

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

    /** The source's COPY of a chunk checked in check form: its rows with the jsonb hashes appended ({@link JsonbCheckForm}). */
    private static String hashedSelectSql(Chunk chunk, String filter) {
        String where = where(chunk.range(), filter);
        return "COPY (SELECT " + JsonbCheckForm.sourceColumns(chunk.table()) + " FROM ONLY " + chunk.table().qualified()
                + (where.isEmpty() ? "" : " WHERE " + where) + ") TO STDOUT (FORMAT binary)";
    }

    /** The target's read-back of a chunk for its check: in check form for a table with jsonb columns, else its rows as copied. */
    static String checkSql(Chunk chunk) {
        if (!JsonbCheckForm.applies(chunk.table())) {
            return selectSql(chunk, "");
        }
        return "COPY (SELECT " + JsonbCheckForm.checkColumns(chunk.table()) + " FROM ONLY " + chunk.table().qualified()
                + (chunk.range().isEmpty() ? "" : " WHERE " + chunk.range()) + ") TO STDOUT (FORMAT binary)";
    }

    /** The name of the form a chunk's binary figures are taken in (recorded with them); null for rows as copied. */
    static String checkFormOf(TableInfo table) {
        return JsonbCheckForm.applies(table) ? JsonbCheckForm.FORM : null;
    }

    static String where(String range, String filter) {
        if (range.isEmpty()) {
            return filter.isEmpty() ? "" : "(" + filter + ")";
        }
        return filter.isEmpty() ? range : range + " AND (" + filter + ")";
    }

    static Copied copy(Chunk chunk, String filter, Connection source, Connection target, Tee tee, ByteCounter counter, boolean check)
            throws SQLException, IOException {
        return copy(chunk, filter, source, target, tee, counter, check, LoadProof.NONE);
    }

    /** {@code proof}: records the load of a chunk whose table it covers, for the check without a read-back. */
    static Copied copy(Chunk chunk, String filter, Connection source, Connection target, Tee tee, ByteCounter counter, boolean check,
            LoadProof proof) throws SQLException, IOException {
        TableInfo t = chunk.table();
        String format = t.binary() ? "(FORMAT binary)" : "(FORMAT text)";
        CopyOut out = null;
        CopyIn in = null;
        RowChecksum sent = check && t.binary() ? new RowChecksum(true) : null;
        try (Sink sink = tee.open(chunk)) {
            in = target.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + t.qualified() + " (" + String.join(", ", t.columns()) + ") FROM STDIN " + format);
            Batch batch = new Batch(in, counter);
            long[] passed = new long[1];
            JsonbCheckForm.Output toTarget = (b, off, len) -> {
                batch.write(b, off, len);
                sink.write(b, off, len);
                passed[0] += len;
            };
            JsonbCheckForm form = sent != null && JsonbCheckForm.applies(t) ? new JsonbCheckForm(t, toTarget, sent) : null;
            out = source.unwrap(PGConnection.class).getCopyAPI().copyOut(form != null ? hashedSelectSql(chunk, filter) : selectSql(chunk, filter));
            byte[] buf;
            while ((buf = out.readFromCopy()) != null) {
                if (form != null) {
                    form.accept(buf); // passes the rows on without their hashes, and checks them in check form
                    continue;
                }
                toTarget.write(buf, 0, buf.length);
                if (sent != null) {
                    sent.accept(buf);
                }
            }
            out = null;
            if (form != null) {
                form.finish();
            }
            batch.flush();
            long bytes = passed[0];
            long rows = in.endCopy();
            in = null;
            Figures figures = check ? figures(chunk, filter, source, target, sent) : Figures.NONE;
            LoadProof.ChunkLoad load = sent != null && proof.covers(t)
                    ? LoadProof.inTransaction(target, t, rows, sent, form != null ? form.hashSums() : new long[0]) : null;
            MoveProgress.chunkDone(target, chunk, rows, bytes, figures);
            target.commit();
            if (load != null) {
                proof.committed(chunk, load);
            }
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
            // the target's side: the whole table, once all its chunks are in
            return new Figures(sent.figure(), null, checkFormOf(chunk.table()));
        }
        return new Figures(sent.figure(), RowChecksum.of(target, checkSql(chunk)), checkFormOf(chunk.table()));
    }

    /**
     * A chunk's row count and checksum on the source and on the target, as recorded with the chunk;
     * NONE when not checked; only the source's for a chunk of a table cut in several.
     */
    record Figures(String source, String target, String form) {
        static final Figures NONE = new Figures(null, null);

        Figures(String source, String target) {
            this(source, target, null);
        }
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

    /**
     * The source sends one message per row; the target is given them gathered into messages of up to
     * 64 KiB (COPY data need not break at rows), so both the target's server and this JVM handle a
     * message per 64 KiB instead of one per row of ~100 bytes. The progress counter, shared by the
     * workers, is told once per message too.
     */
    private static final class Batch {
        private static final int SIZE = 64 * 1024;
        private final CopyIn in;
        private final ByteCounter counter;
        private final byte[] buf = new byte[SIZE];
        private int used;

        Batch(CopyIn in, ByteCounter counter) {
            this.in = in;
            this.counter = counter;
        }

        void write(byte[] bytes, int off, int len) throws SQLException {
            if (len > SIZE - used) {
                flush();
                if (len >= SIZE) {
                    in.writeToCopy(bytes, off, len); // a large row goes as it came
                    counter.add(len);
                    return;
                }
            }
            System.arraycopy(bytes, off, buf, used, len);
            used += len;
        }

        void flush() throws SQLException {
            if (used > 0) {
                in.writeToCopy(buf, 0, used);
                counter.add(used);
                used = 0;
            }
        }
    }

    /** Bytes copied so far across all workers, for the progress bar. */
    interface ByteCounter {
        void add(long bytes);
    }
}
