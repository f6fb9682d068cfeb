package io.uplift.keys;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One batch of re-encrypted values in PostgreSQL's binary COPY format, for the staging table
 * (id bigint, row_version xid, value bytea). Binary, because a ciphertext then travels as its
 * bytes instead of twice as many hex digits.
 */
final class StagingRows {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private final ByteArrayOutputStream bytes;
    private final DataOutputStream out;
    private int rows;

    StagingRows(int expectedRows) {
        bytes = new ByteArrayOutputStream(64 + expectedRows * 96);
        out = new DataOutputStream(bytes);
        try {
            out.write(SIGNATURE);
            out.writeInt(0); // flags: no OIDs
            out.writeInt(0); // header extension length
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array never fails
        }
    }

    void add(long id, long rowVersion, byte[] value) {
        try {
            out.writeShort(3);
            out.writeInt(8);
            out.writeLong(id);
            out.writeInt(4);
            out.writeInt((int) rowVersion); // xid is an unsigned 32-bit number; the bits are what count
            out.writeInt(value.length);
            out.write(value);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int rows() {
        return rows;
    }

    /** The complete COPY stream, trailer included. */
    byte[] finish() {
        try {
            out.writeShort(-1);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
