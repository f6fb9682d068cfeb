package io.uplift.keys;

import io.uplift.catalog.Release.EncryptedColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Which keys the stored values are under, by the key-id columns the catalog names. */
final class KeyUsage {
    private KeyUsage() {}

    /** Per column ("table.column"), the number of values under each key id (NULL key ids as -1). */
    static Map<String, Map<Long, Long>> count(Connection conn, List<EncryptedColumn> columns) throws SQLException {
        Map<String, Map<Long, Long>> all = new LinkedHashMap<>();
        for (EncryptedColumn c : columns) {
            ColumnSql sql = new ColumnSql(c);
            Map<Long, Long> perKey = new LinkedHashMap<>();
            try (PreparedStatement st = conn.prepareStatement(sql.countByKey()); ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    long key = rs.getLong(1);
                    perKey.put(rs.wasNull() ? -1L : key, rs.getLong(2));
                }
            }
            all.put(sql.name(), perKey);
        }
        return all;
    }

    /** Up to {@code limit} ids of rows of {@code column} recorded under {@code keyId}. */
    static List<Long> idsUnder(Connection conn, EncryptedColumn column, long keyId, int limit) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement(new ColumnSql(column).idsUnderKey())) {
            st.setLong(1, keyId);
            st.setInt(2, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    /**
     * One line per key of {@code keys} and column that still has values under it: "key K encrypts N
     * values of T.C", followed by up to {@code idsShown} of their row ids when {@code idsShown} is above 0.
     * What both retirements (the operator's and a cluster node's) refuse on.
     */
    static List<String> stillEncrypting(Connection conn, List<EncryptedColumn> columns, List<Long> keys, int idsShown) throws SQLException {
        Map<String, Map<Long, Long>> usage = count(conn, columns);
        List<String> inUse = new ArrayList<>();
        for (long key : keys) {
            for (EncryptedColumn c : columns) {
                long n = usage.get(ColumnSql.name(c)).getOrDefault(key, 0L);
                if (n == 0) {
                    continue;
                }
                String line = String.format("key %d encrypts %,d values of %s", key, n, ColumnSql.name(c));
                if (idsShown > 0) {
                    line += " (rows " + idsUnder(conn, c, key, idsShown).stream().map(String::valueOf).collect(Collectors.joining(", "))
                            + (n > idsShown ? ", ..." : "") + ")";
                }
                inUse.add(line);
            }
        }
        return inUse;
    }
}
