package io.uplift.dbmove;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.zip.CRC32C;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * An order-independent checksum of the rows of a COPY stream, fed with the stream's bytes as they
 * pass, in pieces cut anywhere. Each row's bytes get a CRC-32C (a CPU instruction on current
 * machines, so checking costs next to nothing beside the copy); the checksum is the row count and
 * the sum of the mixed row CRCs. Order-independent because the target may return a chunk's rows in
 * another order than the source sent them.
 *
 * <p>Binary format: a file header (11-byte signature, 32-bit flags, 32-bit length of an extension
 * and the extension), then per row a 16-bit field count and per field a 32-bit length (-1: NULL)
 * and that many bytes; a field count of -1 ends the stream. Text format: one row per line, a data
 * newline being escaped as the two characters {@code \n}, so a raw newline byte always ends a row.
 */
final class RowChecksum {
    private enum State { HEADER, EXTENSION, FIELD_COUNT, FIELD_LENGTH, FIELD_DATA, END }

    private static final int FIXED_HEADER = 19;
    private static final long MIX = 0x9E3779B97F4A7C15L;

    /** The figure of no rows, the start of a sum. */
    static final String NOTHING = "0:0";

    private final boolean binary;
    private final CRC32C crc = new CRC32C();
    private final byte[] number = new byte[FIXED_HEADER];
    private int numberHave;
    private State state = State.HEADER;
    private long skip;
    private int fieldsLeft;
    private long rows;
    private long sum;

    RowChecksum(boolean binary) {
        this.binary = binary;
    }

    void accept(byte[] buf) {
        accept(buf, 0, buf.length);
    }

    void accept(byte[] buf, int off, int len) {
        if (binary) {
            acceptBinary(buf, off, off + len);
        } else {
            acceptText(buf, off, off + len);
        }
    }

    /**
     * Part of a row given in pieces by a caller that parses the rows itself ({@link JsonbCheckForm}):
     * the pieces of one row, in order, then {@link #rowDone()}. One CRC runs over them as over one
     * run of bytes, so the figure is the same as for the row given whole. Only between rows.
     */
    void rowPiece(byte[] buf, int off, int len) {
        if (state != State.FIELD_COUNT || numberHave != 0) {
            throw new IllegalStateException("a row given in pieces inside another row or outside the rows");
        }
        crc.update(buf, off, len);
    }

    /** Ends a row given by {@link #rowPiece}. */
    void rowDone() {
        endRow();
    }

    long rows() {
        return rows;
    }

    /** The figure of two sets of rows together: counts and sums add, so the chunks of a table add up to the table. */
    static String add(String a, String b) {
        int ca = a.indexOf(':');
        int cb = b.indexOf(':');
        long rows = Long.parseLong(a.substring(0, ca)) + Long.parseLong(b.substring(0, cb));
        long sum = Long.parseUnsignedLong(a.substring(ca + 1), 16) + Long.parseUnsignedLong(b.substring(cb + 1), 16);
        return rows + ":" + Long.toHexString(sum);
    }

    /** The figure of the rows {@code copySql} (a binary COPY TO STDOUT) returns. */
    static String of(Connection conn, String copySql) throws SQLException, IOException {
        RowChecksum sum = new RowChecksum(true);
        CopyOut out = conn.unwrap(PGConnection.class).getCopyAPI().copyOut(copySql);
        try {
            byte[] buf;
            while ((buf = out.readFromCopy()) != null) {
                sum.accept(buf);
            }
            out = null;
        } finally {
            if (out != null && out.isActive()) {
                out.cancelCopy();
            }
        }
        return sum.figure();
    }

    /** Row count and sum in one string, the form the move records and compares. */
    String figure() {
        return rows + ":" + Long.toHexString(sum);
    }

    private void acceptText(byte[] buf, int from, int to) {
        int start = from;
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                crc.update(buf, start, i - start);
                endRow();
                start = i + 1;
            }
        }
        crc.update(buf, start, to - start);
    }

    private void acceptBinary(byte[] buf, int from, int to) {
        int p = from;
        while (p < to) {
            if (state == State.FIELD_COUNT && numberHave == 0) {
                // The usual case: the server sends one row per message, so the whole row is in this buffer. One CRC call for it.
                int end = wholeRowEnd(buf, p, to);
                if (end > 0) {
                    crc.update(buf, p, end - p);
                    endRow();
                    p = end;
                    continue;
                }
            }
            switch (state) {
                case HEADER -> {
                    p = collect(buf, p, to, FIXED_HEADER, false);
                    if (numberHave == FIXED_HEADER) {
                        skip = readInt(15) & 0xFFFFFFFFL;
                        numberHave = 0;
                        state = skip == 0 ? State.FIELD_COUNT : State.EXTENSION; // servers send no extension
                    }
                }
                case EXTENSION -> {
                    int n = (int) Math.min(skip, to - p);
                    p += n;
                    skip -= n;
                    if (skip == 0) {
                        state = State.FIELD_COUNT;
                    }
                }
                case FIELD_COUNT -> {
                    p = collect(buf, p, to, 2, true);
                    if (numberHave == 2) {
                        fieldsLeft = (short) (((number[0] & 0xFF) << 8) | (number[1] & 0xFF));
                        numberHave = 0;
                        if (fieldsLeft == -1) {
                            crc.reset(); // the trailer is not a row
                            state = State.END;
                        } else {
                            rowFieldsDone();
                        }
                    }
                }
                case FIELD_LENGTH -> {
                    p = collect(buf, p, to, 4, true);
                    if (numberHave == 4) {
                        int length = readInt(0);
                        numberHave = 0;
                        fieldsLeft--;
                        if (length > 0) {
                            skip = length;
                            state = State.FIELD_DATA;
                        } else {
                            rowFieldsDone();
                        }
                    }
                }
                case FIELD_DATA -> {
                    int n = (int) Math.min(skip, to - p);
                    crc.update(buf, p, n);
                    p += n;
                    skip -= n;
                    if (skip == 0) {
                        rowFieldsDone();
                    }
                }
                case END -> throw new IllegalStateException("bytes after the end of a binary COPY stream");
            }
        }
    }

    /** Where the row starting at {@code p} ends, if it ends within the buffer; -1 if not (or at the trailer). */
    private static int wholeRowEnd(byte[] buf, int p, int to) {
        if (to - p < 2) {
            return -1;
        }
        int fields = (short) (((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF));
        int q = p + 2;
        for (int i = 0; i < fields; i++) {
            if (to - q < 4) {
                return -1;
            }
            int length = ((buf[q] & 0xFF) << 24) | ((buf[q + 1] & 0xFF) << 16) | ((buf[q + 2] & 0xFF) << 8) | (buf[q + 3] & 0xFF);
            q += 4;
            if (length > 0) {
                if (length > to - q) {
                    return -1;
                }
                q += length;
            }
        }
        return fields < 0 ? -1 : q;
    }

    /** After a field (or the field count): the next field's length, or the row is complete. */
    private void rowFieldsDone() {
        if (fieldsLeft > 0) {
            state = State.FIELD_LENGTH;
        } else {
            endRow();
            state = State.FIELD_COUNT;
        }
    }

    /** Gathers a fixed-size number that may be cut between two buffers; row bytes also go to the CRC. */
    private int collect(byte[] buf, int p, int to, int size, boolean partOfRow) {
        int n = Math.min(size - numberHave, to - p);
        System.arraycopy(buf, p, number, numberHave, n);
        if (partOfRow) {
            crc.update(buf, p, n);
        }
        numberHave += n;
        return p + n;
    }

    private int readInt(int at) {
        return ((number[at] & 0xFF) << 24) | ((number[at + 1] & 0xFF) << 16) | ((number[at + 2] & 0xFF) << 8) | (number[at + 3] & 0xFF);
    }

    private void endRow() {
        long h = (crc.getValue() + 1) * MIX;
        sum += h ^ (h >>> 29);
        rows++;
        crc.reset();
    }
}
