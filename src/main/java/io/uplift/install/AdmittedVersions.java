package io.uplift.install;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Versions the product database lets run besides the one it belongs to (table
 * {@code uplift_admitted_versions}, read by every node's gate): while a rolling upgrade is mixed, the
 * schema is the new release's expanded one and the previous release still runs on it, so its nodes
 * keep being admitted (and a node of it that restarts comes back). Finalize withdraws it before the
 * contract migrations run, so no node of the previous release can be admitted once they ran.
 */
public final class AdmittedVersions {
    public static final String TABLE = "uplift_admitted_versions";

    private AdmittedVersions() {}

    /** Admits {@code version} of {@code product}; admitting it again changes nothing. */
    public static void admit(Connection conn, String product, String version, String reason) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS public." + TABLE + " (product text NOT NULL, version text NOT NULL, reason text NOT NULL,"
                    + " since timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (product, version))");
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO public." + TABLE + " (product, version, reason) VALUES (?, ?, ?)"
                + " ON CONFLICT (product, version) DO NOTHING")) {
            ps.setString(1, product);
            ps.setString(2, version);
            ps.setString(3, reason);
            ps.executeUpdate();
        }
    }

    /** Withdraws every version admitted besides the recorded one; true when one was. */
    public static boolean withdrawAll(Connection conn, String product) throws SQLException {
        if (!exists(conn)) {
            return false;
        }
        try (PreparedStatement ps = conn.prepareStatement("DELETE FROM public." + TABLE + " WHERE product = ?")) {
            ps.setString(1, product);
            return ps.executeUpdate() > 0;
        }
    }

    /** The versions admitted besides the recorded one, oldest first. */
    public static List<String> read(Connection conn, String product) throws SQLException {
        List<String> out = new ArrayList<>();
        if (!exists(conn)) {
            return out;
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT version FROM public." + TABLE + " WHERE product = ? ORDER BY since")) {
            ps.setString(1, product);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static boolean exists(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('public." + TABLE + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
