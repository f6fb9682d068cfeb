package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Sequence values and large objects, read in the move's snapshot. pg_dump would carry both in its
 * data section, which the move does not use. Both writes are idempotent: setval, and a large
 * object written again from scratch.
 */
final class SequencesAndObjects {
    private static final int PIECE = 8 * 1024 * 1024;

    private SequencesAndObjects() {}

    static int copySequences(Connection source, Connection target, Iterable<String> sequences) throws SQLException {
        int n = 0;
        for (String seq : sequences) {
            long last;
            boolean called;
            try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery("SELECT last_value, is_called FROM " + seq)) {
                rs.next();
                last = rs.getLong(1);
                called = rs.getBoolean(2);
            }
            try (PreparedStatement ps = target.prepareStatement("SELECT setval(?::regclass, ?, ?)")) {
                ps.setString(1, seq);
                ps.setLong(2, last);
                ps.setBoolean(3, called);
                ps.execute();
            }
            n++;
        }
        return n;
    }

    /** Copies every large object in pieces of 8 MB, so a large one never sits whole in memory. */
    static long copyLargeObjects(Connection source, Connection target) throws SQLException {
        long n = 0;
        try (Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("SELECT oid FROM pg_largeobject_metadata ORDER BY oid")) {
            while (rs.next()) {
                long oid = rs.getLong(1);
                try (PreparedStatement ps = target.prepareStatement(
                        "SELECT lo_unlink(oid) FROM pg_largeobject_metadata WHERE oid = ?::oid")) {
                    ps.setLong(1, oid);
                    ps.execute();
                }
                try (PreparedStatement ps = target.prepareStatement("SELECT lo_from_bytea(?::oid, ''::bytea)")) {
                    ps.setLong(1, oid);
                    ps.execute();
                }
                for (long offset = 0; ; offset += PIECE) {
                    byte[] piece;
                    try (PreparedStatement ps = source.prepareStatement("SELECT lo_get(?::oid, ?, ?)")) {
                        ps.setLong(1, oid);
                        ps.setLong(2, offset);
                        ps.setInt(3, PIECE);
                        try (ResultSet p = ps.executeQuery()) {
                            p.next();
                            piece = p.getBytes(1);
                        }
                    }
                    if (piece == null || piece.length == 0) {
                        break;
                    }
                    try (PreparedStatement ps = target.prepareStatement("SELECT lo_put(?::oid, ?, ?)")) {
                        ps.setLong(1, oid);
                        ps.setLong(2, offset);
                        ps.setBytes(3, piece);
                        ps.execute();
                    }
                    if (piece.length < PIECE) {
                        break;
                    }
                }
                n++;
            }
        }
        return n;
    }
}
