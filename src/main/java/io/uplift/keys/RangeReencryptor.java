package io.uplift.keys;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.BooleanSupplier;

/**
 * Re-encrypts the stale values of one id range of one column, batch after batch, on its own
 * connection. Each batch is one transaction: read the next stale values after the last id, decrypt
 * and encrypt them here, send them back as three arrays (ids, row versions, ciphertexts) to one
 * UPDATE ... FROM unnest(...), commit. Arrays rather than a COPY into a staging table: the planner
 * joins a function scan by nested loop on the primary key, whereas an unanalysed staging table made
 * it merge-join from the table's first id on every batch, which grows with every batch done.
 */
final class RangeReencryptor {
    private final Connections connections;
    private final ColumnSql sql;
    private final Aead aead;
    private final long primaryKeyId;
    private final int batchRows;
    private final IdSpan.Range range;
    private final SharedProgress progress;
    private final BooleanSupplier stopping;

    RangeReencryptor(Connections connections, ColumnSql sql, Aead aead, long primaryKeyId, int batchRows, IdSpan.Range range,
            SharedProgress progress, BooleanSupplier stopping) {
        this.connections = connections;
        this.sql = sql;
        this.aead = aead;
        this.primaryKeyId = primaryKeyId;
        this.batchRows = batchRows;
        this.range = range;
        this.progress = progress;
        this.stopping = stopping;
    }

    /** Returns the number of values rewritten. */
    long call() throws SQLException, UndecryptableValueException {
        try (Connection conn = connections.open()) {
            conn.setAutoCommit(false);
            try {
                return reencrypt(conn);
            } catch (SQLException | UndecryptableValueException | RuntimeException e) {
                rollback(conn, e);
                throw e;
            }
        }
    }

    private long reencrypt(Connection conn) throws SQLException, UndecryptableValueException {
        long rewritten = 0;
        long last = range.from() - 1;
        try (PreparedStatement select = conn.prepareStatement(sql.staleBatch());
             PreparedStatement apply = conn.prepareStatement(sql.applyBatch())) {
            select.setFetchSize(batchRows);
            while (!stopping.getAsBoolean()) {
                select.setLong(1, primaryKeyId);
                select.setLong(2, last);
                select.setLong(3, range.to());
                select.setInt(4, batchRows);
                Batch batch = new Batch(batchRows);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        batch.add(rs.getLong(1), rs.getLong(2), rs.getBytes(3));
                    }
                }
                if (batch.size() == 0) {
                    conn.commit();
                    break;
                }
                last = batch.ids[batch.size() - 1];
                for (int i = 0; i < batch.size(); i++) {
                    batch.values[i] = reencrypt(batch.ids[i], batch.values[i]);
                }
                apply.setLong(1, primaryKeyId);
                apply.setArray(2, conn.createArrayOf("bigint", batch.boxedIds()));
                apply.setArray(3, conn.createArrayOf("bigint", batch.boxedVersions()));
                apply.setArray(4, conn.createArrayOf("bytea", batch.values()));
                apply.setLong(5, primaryKeyId);
                rewritten += apply.executeUpdate();
                conn.commit();
                progress.add(batch.size());
                if (batch.size() < batchRows) {
                    break;
                }
            }
        }
        return rewritten;
    }

    /** The rows of one batch, as read: id, row version, ciphertext (replaced by the new one in place). */
    private static final class Batch {
        final long[] ids;
        final long[] versions;
        final byte[][] values;
        private int size;

        Batch(int capacity) {
            ids = new long[capacity];
            versions = new long[capacity];
            values = new byte[capacity][];
        }

        void add(long id, long version, byte[] value) {
            ids[size] = id;
            versions[size] = version;
            values[size] = value;
            size++;
        }

        int size() {
            return size;
        }

        Long[] boxedIds() {
            return java.util.Arrays.stream(ids, 0, size).boxed().toArray(Long[]::new);
        }

        Long[] boxedVersions() {
            return java.util.Arrays.stream(versions, 0, size).boxed().toArray(Long[]::new);
        }

        byte[][] values() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    private byte[] reencrypt(long id, byte[] ciphertext) throws UndecryptableValueException {
        byte[] associatedData = sql.associatedData(id);
        byte[] plaintext;
        try {
            plaintext = aead.decrypt(ciphertext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new UndecryptableValueException(sql.name(), id, e);
        }
        try {
            return aead.encrypt(plaintext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the primary key refused to encrypt: " + e.getMessage(), e);
        }
    }

    private static void rollback(Connection conn, Exception cause) {
        try {
            conn.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
