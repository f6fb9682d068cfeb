package io.uplift.dbmove;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * How a table with jsonb columns is checked without printing its jsonb twice on the target.
 *
 * <p>jsonb's binary COPY form is its text: reading a table back from the target prints every
 * jsonb value again, which was about a third of the read-back (measured on the benchmark's events
 * table, PostgreSQL 16: 14.2 s for all columns, 9.0 s with {@code jsonb_hash(payload)} instead of
 * {@code payload}). So such a table is checked in its <em>check form</em>: the row with each
 * jsonb value replaced by its {@code jsonb_hash()}, the 32-bit hash of its parsed content.
 * PostgreSQL keeps that hash the same from version to version, because hash indexes carried over by
 * pg_upgrade depend on it (PostgreSQL 10 and 16 gave the same sum over the benchmark's 11,000,000
 * values); it is equal for equal jsonb values and changes with any single scalar, key or nesting.
 *
 * <p>The source sends each row with the hashes appended ({@link #sourceColumns}); this class
 * passes the row on without them, and gives the checksum the row in check form. The target side is
 * read in check form by the server ({@link #checkColumns}), so both checksums see the same bytes.
 * Rows usually arrive one per message, but any cut is handled.
 */
final class JsonbCheckForm {
    /** Where the rows without the hashes go: the target's COPY and the export. */
    interface Output {
        void write(byte[] bytes, int off, int len) throws SQLException, IOException;
    }

    /** Recorded with each chunk checked this way, so a resumed move never adds figures of two forms. */
    static final String FORM = "jsonb_hash";

    private static final int FIXED_HEADER = 19;

    private final int columns;
    private final int[] jsonb;
    private final Output out;
    private final RowChecksum check;
    private final int[] fieldStart;
    private final long[] hashSums;
    private final byte[] count;
    private byte[] pending = new byte[0];
    private int pendingLength;
    private boolean headerDone;

    JsonbCheckForm(TableInfo table, Output out, RowChecksum check) {
        this.columns = table.columns().size();
        this.jsonb = table.jsonb().stream().mapToInt(Integer::intValue).toArray();
        this.out = out;
        this.check = check;
        this.fieldStart = new int[columns + jsonb.length];
        this.hashSums = new long[jsonb.length];
        this.count = new byte[] {(byte) (columns >>> 8), (byte) columns};
    }

    /** Whether the table is checked in check form: binary COPY, at least one jsonb column. */
    static boolean applies(TableInfo table) {
        return table.binary() && !table.jsonb().isEmpty();
    }

    /** The source's select list: every column, then jsonb_hash of each jsonb column. */
    static String sourceColumns(TableInfo table) {
        StringBuilder sb = new StringBuilder(String.join(", ", table.columns()));
        table.jsonb().forEach(i -> sb.append(", jsonb_hash(").append(table.columns().get(i)).append(')'));
        return sb.toString();
    }

    /** The check form's select list: every column, each jsonb column as its jsonb_hash. */
    static String checkColumns(TableInfo table) {
        List<String> cols = new java.util.ArrayList<>(table.columns());
        table.jsonb().forEach(i -> cols.set(i, "jsonb_hash(" + cols.get(i) + ")"));
        return String.join(", ", cols);
    }

    void accept(byte[] buf) throws SQLException, IOException {
        if (pendingLength == 0) {
            int used = process(buf, 0, buf.length);
            keep(buf, used, buf.length);
        } else {
            keep(buf, 0, buf.length);
            int used = process(pending, 0, pendingLength);
            pendingLength -= used;
            System.arraycopy(pending, used, pending, 0, pendingLength);
        }
    }

    /** Each jsonb column's sum of the hashes seen so far, NULLs left out ({@link LoadProof} compares it with the target's). */
    long[] hashSums() {
        return hashSums.clone();
    }

    /** At the end of the stream: nothing may be left over. */
    void finish() {
        if (pendingLength > 0 || !headerDone) {
            throw new IllegalStateException("the source's COPY stream ended inside a row (" + pendingLength + " bytes left)");
        }
    }

    private void keep(byte[] buf, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return;
        }
        if (pendingLength + n > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pendingLength + n, pending.length * 2));
        }
        System.arraycopy(buf, from, pending, pendingLength, n);
        pendingLength += n;
    }

    /** Handles the whole rows (and the header, and the trailer) in buf[from, to); returns where the first incomplete one begins. */
    private int process(byte[] buf, int from, int to) throws SQLException, IOException {
        int p = from;
        if (!headerDone) {
            if (to - p < FIXED_HEADER || to - p < FIXED_HEADER + readInt(buf, p + 15)) {
                return p;
            }
            int header = FIXED_HEADER + readInt(buf, p + 15);
            out.write(buf, p, header);
            check.accept(buf, p, header);
            p += header;
            headerDone = true;
        }
        while (to - p >= 2) {
            int fields = (short) (((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF));
            if (fields == -1) { // the trailer
                out.write(buf, p, 2);
                check.accept(buf, p, 2);
                p += 2;
                continue;
            }
            if (fields != columns + jsonb.length) {
                throw new IllegalStateException("a row of " + fields + " fields, expected " + (columns + jsonb.length));
            }
            int q = p + 2;
            for (int i = 0; i < fields; i++) {
                if (to - q < 4) {
                    return p;
                }
                fieldStart[i] = q;
                int length = readInt(buf, q);
                q += 4;
                if (length > 0) {
                    if (length > to - q) {
                        return p;
                    }
                    q += length;
                }
            }
            passOn(buf, p, fieldStart[columns]);
            checkRow(buf, p);
            p = q;
        }
        return p;
    }

    /** The row without its hashes: the field count and the table's own fields. */
    private void passOn(byte[] buf, int p, int realEnd) throws SQLException, IOException {
        out.write(count, 0, 2);
        out.write(buf, p + 2, realEnd - p - 2);
    }

    /**
     * The row in check form: each jsonb field replaced by its hash field. Given to the checksum as
     * the runs of bytes between the jsonb fields, with no copy of the row and no second parse of it:
     * this runs once per row of the biggest tables.
     */
    private void checkRow(byte[] buf, int p) {
        check.rowPiece(count, 0, 2);
        int from = p + 2; // the start of the fields not yet given to the checksum
        for (int k = 0; k < jsonb.length; k++) {
            int value = fieldStart[jsonb[k]];
            check.rowPiece(buf, from, value - from);
            int hash = fieldStart[columns + k];
            int hashLength = readInt(buf, hash);
            check.rowPiece(buf, hash, 4 + Math.max(0, hashLength));
            if (hashLength == 4) {
                hashSums[k] += readInt(buf, hash + 4);
            }
            from = value + 4 + Math.max(0, readInt(buf, value));
        }
        check.rowPiece(buf, from, fieldStart[columns] - from);
        check.rowDone();
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
