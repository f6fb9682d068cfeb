package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The move's own record in the target database (schema uplift_move): which phases and chunks are
 * done. A chunk's row is inserted in the same transaction as the chunk's data, so the two can never
 * disagree, whatever kills the move. The schema is dropped once the move is validated.
 */
final class MoveProgress {
    static final String SCHEMA = "uplift_move";

    private MoveProgress() {}

    static void create(Connection target, String sourceId) throws SQLException {
        try (Statement st = target.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".chunk (id text PRIMARY KEY, rows bigint NOT NULL, bytes bigint NOT NULL, "
                    + "done_at timestamptz NOT NULL DEFAULT now())");
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".phase (name text PRIMARY KEY, done_at timestamptz NOT NULL DEFAULT now())");
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".info (key text PRIMARY KEY, value text NOT NULL)");
        }
        try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + SCHEMA + ".info VALUES ('source', ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, sourceId);
            ps.executeUpdate();
        }
    }

    static boolean exists(Connection target) throws SQLException {
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('" + SCHEMA + ".chunk') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    static String source(Connection target) throws SQLException {
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT value FROM " + SCHEMA + ".info WHERE key = 'source'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static Set<String> doneChunks(Connection target) throws SQLException {
        Set<String> done = new HashSet<>();
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM " + SCHEMA + ".chunk")) {
            while (rs.next()) {
                done.add(rs.getString(1));
            }
        }
        return done;
    }

    /** Called inside the chunk's transaction, after its COPY. */
    static void chunkDone(Connection target, Chunk chunk, long rows, long bytes) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + SCHEMA + ".chunk (id, rows, bytes) VALUES (?, ?, ?)")) {
            ps.setString(1, chunk.id());
            ps.setLong(2, rows);
            ps.setLong(3, bytes);
            ps.executeUpdate();
        }
    }

    static boolean phaseDone(Connection target, String phase) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("SELECT 1 FROM " + SCHEMA + ".phase WHERE name = ?")) {
            ps.setString(1, phase);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static void markPhase(Connection target, String phase) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + SCHEMA + ".phase (name) VALUES (?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, phase);
            ps.executeUpdate();
        }
    }

    static void drop(Connection target) throws SQLException {
        try (Statement st = target.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }
}
