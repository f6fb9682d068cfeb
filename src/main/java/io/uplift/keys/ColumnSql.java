package io.uplift.keys;

import io.uplift.catalog.Release.EncryptedColumn;
import io.uplift.db.Jdbc;
import java.nio.charset.StandardCharsets;

/**
 * The statements the re-encryption and its verification run on one encrypted column. Batches walk
 * the id order ({@code id > last ... ORDER BY id LIMIT n}), so each one is an index range scan that
 * starts where the previous one stopped, however much of the table is already done.
 */
final class ColumnSql {
    private final EncryptedColumn column;
    private final String table;
    private final String id;
    private final String value;
    private final String keyId;

    ColumnSql(EncryptedColumn column) {
        if (column.keyIdColumn().isEmpty()) {
            throw new IllegalArgumentException(name(column) + " has no key-id-column");
        }
        this.column = column;
        this.table = Jdbc.quoteIdentifier(column.table());
        this.id = Jdbc.quoteIdentifier(column.idColumn());
        this.value = Jdbc.quoteIdentifier(column.column());
        this.keyId = Jdbc.quoteIdentifier(column.keyIdColumn());
    }

    static String name(EncryptedColumn column) {
        return column.table() + "." + column.column();
    }

    String name() {
        return name(column);
    }

    EncryptedColumn column() {
        return column;
    }

    /** min and max id of the values not under key ?, the span the workers split between them. */
    String staleSpan() {
        return "SELECT min(" + id + "), max(" + id + "), count(*) FROM " + table + " WHERE " + keyId + " IS DISTINCT FROM ?";
    }

    String span() {
        return "SELECT min(" + id + "), max(" + id + ") FROM " + table;
    }

    String countAll() {
        return "SELECT count(*) FROM " + table;
    }

    String countStale() {
        return "SELECT count(*) FROM " + table + " WHERE " + keyId + " IS DISTINCT FROM ?";
    }

    String countByKey() {
        return "SELECT " + keyId + ", count(*) FROM " + table + " GROUP BY " + keyId + " ORDER BY " + keyId;
    }

    /** Ids (up to ?) of the values recorded under key ?, for messages. */
    String idsUnderKey() {
        return "SELECT " + id + " FROM " + table + " WHERE " + keyId + " = ? ORDER BY " + id + " LIMIT ?";
    }

    /**
     * The next batch of stale values in (?, ?]: id, the row version (xmin) it was read from, and the
     * ciphertext. The row version lets the update skip a row the product rewrote in between.
     */
    String staleBatch() {
        return "SELECT " + id + ", xmin::text::bigint, " + value + " FROM " + table + " WHERE " + keyId + " IS DISTINCT FROM ? AND "
                + id + " > ? AND " + id + " <= ? ORDER BY " + id + " LIMIT ?";
    }

    /** The next batch of all values in (?, ?], for the verification. */
    String batch() {
        return "SELECT " + id + ", " + keyId + ", " + value + " FROM " + table + " WHERE " + id + " > ? AND " + id + " <= ? ORDER BY "
                + id + " LIMIT ?";
    }

    /**
     * Applies a batch given as arrays (?, ids, row versions, ciphertexts, ?): only rows still as they
     * were read (same row version) and not yet under the new key, so a concurrent write by the
     * product is never overwritten.
     */
    String applyBatch() {
        return "UPDATE " + table + " t SET " + value + " = s.value, " + keyId + " = ? FROM unnest(?::bigint[], ?::bigint[], ?::bytea[])"
                + " AS s(id, row_version, value) WHERE t." + id + " = s.id AND t.xmin::text::bigint = s.row_version AND t." + keyId
                + " IS DISTINCT FROM ?";
    }

    byte[] associatedData(long rowId) {
        return column.associatedData().equals("id") ? Long.toString(rowId).getBytes(StandardCharsets.US_ASCII) : new byte[0];
    }
}
