package io.uplift.keys;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/** Checks every value of one id range of one column: recorded under the primary, prefixed with it, and decrypting. */
final class RangeVerifier {
    private final Connections connections;
    private final ColumnSql sql;
    private final Aead aead;
    private final long primaryKeyId;
    private final int batchRows;
    private final IdSpan.Range range;
    private final SharedProgress progress;
    private final Verification.Builder result;
    private final BooleanSupplier stopping;

    RangeVerifier(Connections connections, ColumnSql sql, Aead aead, long primaryKeyId, int batchRows, IdSpan.Range range,
            SharedProgress progress, Verification.Builder result, BooleanSupplier stopping) {
        this.connections = connections;
        this.sql = sql;
        this.aead = aead;
        this.primaryKeyId = primaryKeyId;
        this.batchRows = batchRows;
        this.range = range;
        this.progress = progress;
        this.result = result;
        this.stopping = stopping;
    }

    void call() throws SQLException {
        try (Connection conn = connections.open(); PreparedStatement select = conn.prepareStatement(sql.batch())) {
            long last = range.from() - 1;
            while (!stopping.getAsBoolean()) {
                select.setLong(1, last);
                select.setLong(2, range.to());
                select.setInt(3, batchRows);
                int n = 0;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        long recorded = rs.getLong(2);
                        check(id, rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(recorded), rs.getBytes(3));
                        last = id;
                        n++;
                    }
                }
                result.checked(n);
                progress.add(n);
                if (n < batchRows) {
                    return;
                }
            }
        }
    }

    private void check(long id, OptionalLong recordedKeyId, byte[] ciphertext) {
        OptionalLong prefixKeyId = CiphertextKeyId.of(ciphertext);
        if (recordedKeyId.isEmpty() || recordedKeyId.getAsLong() != primaryKeyId) {
            result.notUnderPrimary(sql.name(), id, "key id column says " + (recordedKeyId.isEmpty() ? "NULL" : recordedKeyId.getAsLong()));
            return;
        }
        if (prefixKeyId.isEmpty() || prefixKeyId.getAsLong() != primaryKeyId) {
            result.notUnderPrimary(sql.name(), id, "ciphertext names key " + (prefixKeyId.isEmpty() ? "none" : prefixKeyId.getAsLong()));
            return;
        }
        try {
            aead.decrypt(ciphertext, sql.associatedData(id));
        } catch (GeneralSecurityException e) {
            result.undecryptable(sql.name(), id);
        }
    }
}
