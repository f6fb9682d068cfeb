package io.uplift.gate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the product database says about itself, read (only read) through one connection: the version
 * its schema belongs to (table uplift_installation, written by Uplift's RecordVersionStep and by the
 * demo), the keyset that encrypts it (table uplift_keyset, see Uplift's KeysetRecord), and whether it
 * is in maintenance mode (Uplift's schema uplift_maintenance exists while an upgrade holds it).
 *
 * @param version  the recorded version of the product, or null when Uplift never recorded one
 * @param keyset   the recorded keyset, or null
 * @param alsoAdmitted other versions whose program may run on this schema now (table
 *                 uplift_admitted_versions: the previous release, while a rolling upgrade is mixed)
 */
record DatabaseFacts(String version, RecordedKeyset keyset, boolean maintenance, List<String> alsoAdmitted) {
    /** The row of uplift_keyset: the fingerprint and the node and home that recorded it. */
    record RecordedKeyset(String fingerprint, String node, String home, String recordedAt) {}

    static DatabaseFacts read(Connection conn, String product) throws SQLException {
        boolean versions;
        boolean keysets;
        boolean maintenance;
        boolean admitted;
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT to_regclass('public.uplift_installation') IS NOT NULL,"
                     + " to_regclass('public.uplift_keyset') IS NOT NULL,"
                     + " EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = 'uplift_maintenance'),"
                     + " to_regclass('public.uplift_admitted_versions') IS NOT NULL")) {
            rs.next();
            versions = rs.getBoolean(1);
            keysets = rs.getBoolean(2);
            maintenance = rs.getBoolean(3);
            admitted = rs.getBoolean(4);
        }
        return new DatabaseFacts(versions ? version(conn, product) : null, keysets ? keyset(conn) : null, maintenance,
                admitted ? alsoAdmitted(conn, product) : List.of());
    }

    private static List<String> alsoAdmitted(Connection conn, String product) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT version FROM public.uplift_admitted_versions WHERE product = ? ORDER BY version")) {
            ps.setString(1, product);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return List.copyOf(out);
    }

    private static String version(Connection conn, String product) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT version FROM public.uplift_installation WHERE product = ?")) {
            ps.setString(1, product);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static RecordedKeyset keyset(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT fingerprint, node, home, to_char(recorded_at AT TIME ZONE 'UTC',"
                     + " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM public.uplift_keyset WHERE id = 1")) {
            return rs.next() ? new RecordedKeyset(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)) : null;
        }
    }
}
