package io.uplift.keys;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The fingerprint of the keyset that encrypts a product database, recorded in that database
 * (table {@code uplift_keyset}, one row, made by Uplift, not by the product's migrations), with the
 * node and home that recorded it: so that any node can tell whether its keyset is the right one,
 * and the message can name the node to copy it from. It holds no key material: the fingerprint is
 * a SHA-256 over key ids and digests (see {@link KeysetFingerprint}).
 *
 * <p>Backups (pg_dump) carry the row with the data, and a restore brings it back with them.
 */
public record KeysetRecord(String fingerprint, long primaryKeyId, String node, String home, String recordedAt) {
    public static final String TABLE = "uplift_keyset";

    /** The recorded fingerprint; empty when nothing was recorded yet (an installation from before Uplift recorded it). */
    public static Optional<KeysetRecord> read(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
             ResultSet exists = st.executeQuery("SELECT to_regclass('public." + TABLE + "') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return Optional.empty();
            }
        }
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT fingerprint, primary_key_id, node, home, to_char(recorded_at AT TIME ZONE 'UTC', "
                     + "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM public." + TABLE + " WHERE id = 1")) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new KeysetRecord(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5)));
        }
    }

    /**
     * Records {@code fingerprint} as this node's (in {@code home}). A row that already holds the
     * same fingerprint is left as it is, so that writing again (a resumed step) changes nothing.
     */
    public static void write(Connection conn, String fingerprint, long primaryKeyId, Path home) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS public." + TABLE + " (id integer PRIMARY KEY CHECK (id = 1), fingerprint text NOT NULL,"
                    + " primary_key_id bigint NOT NULL, node text NOT NULL, home text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())");
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO public." + TABLE + " (id, fingerprint, primary_key_id, node, home)"
                + " VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,"
                + " primary_key_id = EXCLUDED.primary_key_id, node = EXCLUDED.node, home = EXCLUDED.home, recorded_at = now()"
                + " WHERE " + TABLE + ".fingerprint IS DISTINCT FROM EXCLUDED.fingerprint")) {
            ps.setString(1, fingerprint);
            ps.setLong(2, primaryKeyId);
            ps.setString(3, thisNode());
            ps.setString(4, home.toAbsolutePath().normalize().toString());
            ps.executeUpdate();
        }
    }

    /** This machine's host name, as the mismatch message names it. */
    public static String thisNode() {
        String env = System.getenv("HOSTNAME");
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return env == null || env.isBlank() ? "unknown-host" : env;
        }
    }

    public String shortFingerprint() {
        return KeysetFingerprint.short12(fingerprint);
    }
}
