package io.uplift.keys;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Re-encrypts the stale values of one id range of one column, batch after batch, on its own
 * connection. Each batch is one transaction: read the next stale values after the last id, decrypt
 * and encrypt them here, COPY them into the session's staging table, apply them with one UPDATE,
 * commit (which also empties the staging table).
 */
final class RangeReencryptor {
    private final Connections connections;
    private final ColumnSql sql;
    private final Aead aead;
    private final long primaryKeyId;
    private final int batchRows;
    private final IdSpan.Range range;
    private final SharedProgress progress;
    private final AtomicBoolean stop;

    RangeReencryptor(Connections connections, ColumnSql sql, Aead aead, long primaryKeyId, int batchRows, IdSpan.Range range,
            SharedProgress progress, AtomicBoolean stop) {
        this.connections = connections;
        this.sql = sql;
        this.aead = aead;
        this.primaryKeyId = primaryKeyId;
        this.batchRows = batchRows;
        this.range = range;
        this.progress = progress;
        this.stop = stop;
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
        try (Statement st = conn.createStatement()) {
            st.execute(ColumnSql.createStaging());
        }
        conn.commit();
        CopyManager copy = conn.unwrap(PGConnection.class).getCopyAPI();
        long rewritten = 0;
        long last = range.from() - 1;
        try (PreparedStatement select = conn.prepareStatement(sql.staleBatch());
             PreparedStatement apply = conn.prepareStatement(sql.applyStaging())) {
            select.setFetchSize(batchRows);
            apply.setLong(1, primaryKeyId);
            apply.setLong(2, primaryKeyId);
            while (!stop.get()) {
                StagingRows rows = new StagingRows(batchRows);
                select.setLong(1, primaryKeyId);
                select.setLong(2, last);
                select.setLong(3, range.to());
                select.setInt(4, batchRows);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        rows.add(id, rs.getLong(2), reencrypt(id, rs.getBytes(3)));
                        last = id;
                    }
                }
                if (rows.rows() == 0) {
                    conn.commit();
                    break;
                }
                copyIn(copy, rows.finish());
                rewritten += apply.executeUpdate();
                conn.commit();
                progress.add(rows.rows());
                if (rows.rows() < batchRows) {
                    break;
                }
            }
        }
        return rewritten;
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

    /** One COPY of the whole batch; cancelled, never ended, on failure, so no partial batch is staged. */
    private static void copyIn(CopyManager copy, byte[] data) throws SQLException {
        CopyIn in = copy.copyIn(ColumnSql.copyIntoStaging());
        try {
            in.writeToCopy(data, 0, data.length);
            in.endCopy();
        } catch (SQLException | RuntimeException e) {
            if (in.isActive()) {
                in.cancelCopy();
            }
            throw e;
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
