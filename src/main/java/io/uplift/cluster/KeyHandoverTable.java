package io.uplift.cluster;

import io.uplift.api.ClusterStateChange;
import io.uplift.keys.KeyHandover.Parcel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * uplift_cluster.uplift_cluster_key_handover: one row per cluster upgrade whose primary rotated the
 * keys. It holds the new key only WRAPPED (see {@link io.uplift.keys.KeyHandover}), never in clear,
 * and even that is erased (set to NULL) once every node holds the key and the old keys retired; the
 * row itself stays as the record of the handover. In the cluster schema, so backups leave it out:
 * a restore never brings a wrapped key back.
 */
public final class KeyHandoverTable {
    static final String TABLE = ClusterSchema.SCHEMA + ".uplift_cluster_key_handover";

    /** The row: the parcel (its blob null once erased) and whether the old keys retired everywhere. */
    record Handover(Parcel parcel, String publishedBy, boolean erased) {}

    private KeyHandoverTable() {}

    static void ensure(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (upgrade_id bigint PRIMARY KEY, key_id bigint NOT NULL,"
                    + " wrapping_key_id bigint NOT NULL, wrapped bytea, fingerprint_before text NOT NULL, fingerprint_after text NOT NULL,"
                    + " fingerprint_retired text NOT NULL, retiring_key_ids text NOT NULL, published_by text NOT NULL,"
                    + " published_at timestamptz NOT NULL DEFAULT now(), erased_at timestamptz)");
        }
    }

    /**
     * Publishes the primary's parcel; a second publication for the same upgrade (a resumed order) leaves
     * the first row as it is, so every node opens the same blob. Written by the primary's agent about
     * its own order, like a report: no fence (the leader's orders are fenced, the nodes' reports are not).
     */
    static void publish(Connection conn, Parcel p, String nodeId) throws SQLException {
        Transactions.readWrite(conn, () -> {
            ensure(conn);
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + TABLE + " (upgrade_id, key_id, wrapping_key_id, wrapped,"
                    + " fingerprint_before, fingerprint_after, fingerprint_retired, retiring_key_ids, published_by)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (upgrade_id) DO NOTHING")) {
                ps.setLong(1, p.upgradeId());
                ps.setLong(2, p.keyId());
                ps.setLong(3, p.wrappingKeyId());
                ps.setBytes(4, p.wrapped());
                ps.setString(5, p.fingerprintBefore());
                ps.setString(6, p.fingerprintAfter());
                ps.setString(7, p.fingerprintRetired());
                ps.setString(8, String.join(",", p.retiringKeyIds().stream().map(String::valueOf).toList()));
                ps.setString(9, nodeId);
                ps.executeUpdate();
            }
        });
    }

    static Optional<Handover> of(Connection conn, long upgradeId) throws SQLException {
        if (!exists(conn)) {
            return Optional.empty();
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT upgrade_id, key_id, wrapping_key_id, wrapped, fingerprint_before,"
                + " fingerprint_after, fingerprint_retired, retiring_key_ids, published_by, erased_at IS NOT NULL FROM " + TABLE
                + " WHERE upgrade_id = ?")) {
            ps.setLong(1, upgradeId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                List<Long> retiring = rs.getString(8).isEmpty() ? List.of()
                        : Arrays.stream(rs.getString(8).split(",")).map(Long::parseLong).toList();
                Parcel p = new Parcel(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBytes(4), rs.getString(5), rs.getString(6),
                        rs.getString(7), retiring);
                return Optional.of(new Handover(p, rs.getString(9), rs.getBoolean(10)));
            }
        }
    }

    /** Erases the wrapped key once every node holds it and the old keys retired; false when {@code me} no longer leads. */
    static boolean erase(Connection conn, Leadership me, long upgradeId) throws SQLException {
        return Transactions.readWrite(conn, () -> {
            if (!LeaderLease.holds(conn, me)) {
                return false;
            }
            try (PreparedStatement ps = conn.prepareStatement("UPDATE " + TABLE + " SET wrapped = NULL, erased_at = now()"
                    + " WHERE upgrade_id = ? AND erased_at IS NULL")) {
                ps.setLong(1, upgradeId);
                ps.executeUpdate();
            }
            return true;
        });
    }

    /** The key handover of the cluster upgrade under way, unless there is none or its old keys retired everywhere. */
    public static Optional<ClusterConsistency.KeyTransition> inProgress(Connection conn) throws SQLException {
        if (!ClusterSchema.exists(conn)) {
            return Optional.empty();
        }
        Optional<ClusterStateChange> now = ClusterLog.latest(conn).filter(s -> !s.state().ended());
        if (now.isEmpty()) {
            return Optional.empty();
        }
        return of(conn, now.get().upgradeId()).filter(h -> !h.erased()).map(h -> new ClusterConsistency.KeyTransition(h.parcel().upgradeId(),
                h.parcel().keyId(), h.parcel().fingerprintBefore(), h.parcel().fingerprintAfter(), h.parcel().fingerprintRetired()));
    }

    private static boolean exists(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('" + TABLE + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
