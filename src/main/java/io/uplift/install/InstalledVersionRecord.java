package io.uplift.install;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The version the product database belongs to, recorded in the database itself (table
 * {@code uplift_installation}, one row per product, made by Uplift, not by the product's migrations):
 * so that every node's node gate (uplift-gate) can refuse a program of another version, from its very
 * first start. Written when an installation is made (the demo) and by every upgrade and its undo.
 */
public final class InstalledVersionRecord {
    public static final String TABLE = "uplift_installation";

    private InstalledVersionRecord() {}

    /** Records {@code version} for {@code product}; writing the same again changes only updated_at. */
    public static void write(Connection conn, String product, String version) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (product text PRIMARY KEY, version text NOT NULL, "
                    + "updated_at timestamptz NOT NULL DEFAULT now())");
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + TABLE + " (product, version) VALUES (?, ?) "
                + "ON CONFLICT (product) DO UPDATE SET version = EXCLUDED.version, updated_at = now()")) {
            ps.setString(1, product);
            ps.setString(2, version);
            ps.executeUpdate();
        }
    }

    /** The version recorded for {@code product}; empty when the table or the row is absent (a database Uplift never recorded). */
    public static Optional<String> read(Connection conn, String product) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet exists = st.executeQuery("SELECT to_regclass('public." + TABLE + "') IS NOT NULL")) {
            exists.next();
            if (!exists.getBoolean(1)) {
                return Optional.empty();
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT version FROM public." + TABLE + " WHERE product = ?")) {
            ps.setString(1, product);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
