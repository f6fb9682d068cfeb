package io.uplift.keys;

import com.google.crypto.tink.Aead;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.stream.LongStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Many encrypted rows for the rotation tests and the benchmark, loaded with binary COPY into a
 * table shaped like Lockbox's secrets (id, name, value, key_id, owner_id): the values encrypted as
 * Lockbox does (the id as associated data), the key id recorded. Each plaintext is a function of
 * the id, so a reader can tell not only that a value decrypts but that it decrypts to what it was.
 */
final class SecretRows {
    private static final int CHUNK = 50_000;
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private SecretRows() {}

    static String plaintext(long id) {
        return "secret-" + id + "-" + HexFormat.of().toHexDigits(id * 0x9E3779B97F4A7C15L);
    }

    static byte[] associatedData(long id) {
        return Long.toString(id).getBytes(StandardCharsets.US_ASCII);
    }

    /** Inserts ids first..first+count-1, committed; the connection's auto-commit is left on. */
    static void insert(Connection conn, String table, long first, long count, Aead aead, long keyId, long ownerId) throws SQLException {
        conn.setAutoCommit(false);
        var copy = conn.unwrap(PGConnection.class).getCopyAPI();
        CopyIn in = copy.copyIn("COPY " + table + " (id, name, value, key_id, owner_id) FROM STDIN (FORMAT binary)");
        try {
            write(in, header());
            for (long from = first; from < first + count; from += CHUNK) {
                long to = Math.min(first + count, from + CHUNK);
                byte[][] values = LongStream.range(from, to).parallel().mapToObj(id -> encrypt(aead, id)).toArray(byte[][]::new);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(CHUNK * 120);
                DataOutputStream out = new DataOutputStream(bytes);
                for (long id = from; id < to; id++) {
                    byte[] name = ("bulk/secret-" + id).getBytes(StandardCharsets.UTF_8);
                    byte[] value = values[(int) (id - from)];
                    out.writeShort(5);
                    out.writeInt(8);
                    out.writeLong(id);
                    out.writeInt(name.length);
                    out.write(name);
                    out.writeInt(value.length);
                    out.write(value);
                    out.writeInt(8);
                    out.writeLong(keyId);
                    out.writeInt(8);
                    out.writeLong(ownerId);
                }
                write(in, bytes.toByteArray());
            }
            write(in, new byte[] {(byte) 0xff, (byte) 0xff});
            in.endCopy();
            conn.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            if (in.isActive()) {
                in.cancelCopy();
            }
            conn.rollback();
            if (e instanceof SQLException s) {
                throw s;
            }
            throw new IllegalStateException(e);
        } finally {
            conn.setAutoCommit(true);
        }
    }

    /** SHA-256 over the decrypted values of ids in (from, to], in id order, and the row count. */
    static Checksum checksum(Connection conn, String table, long fromExclusive, long toInclusive, Aead aead) throws SQLException,
            GeneralSecurityException {
        MessageDigest digest = sha256();
        long rows = 0;
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery("SELECT id, value FROM " + table + " WHERE id > " + fromExclusive + " AND id <= " + toInclusive
                    + " ORDER BY id")) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    digest.update(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
                    digest.update((byte) 0);
                    digest.update(aead.decrypt(rs.getBytes(2), associatedData(id)));
                    digest.update((byte) '\n');
                    rows++;
                }
            }
        } finally {
            conn.rollback();
            conn.setAutoCommit(true);
        }
        return new Checksum(rows, HexFormat.of().formatHex(digest.digest()));
    }

    record Checksum(long rows, String sha256) {}

    private static byte[] encrypt(Aead aead, long id) {
        try {
            return aead.encrypt(plaintext(id).getBytes(StandardCharsets.UTF_8), associatedData(id));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] header() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.write(SIGNATURE);
            out.writeInt(0);
            out.writeInt(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static void write(CopyIn in, byte[] data) throws SQLException {
        in.writeToCopy(data, 0, data.length);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
