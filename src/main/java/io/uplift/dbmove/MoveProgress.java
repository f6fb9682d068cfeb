package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
            // The figures: rows:checksum of the chunk on each side, taken before the chunk's commit (null: not checked then).
            // figures_form: the form the rows were summed in (null: as copied; see ChunkCopier.checkFormOf).
            st.execute("ALTER TABLE " + SCHEMA + ".chunk ADD COLUMN IF NOT EXISTS source_figures text, "
                    + "ADD COLUMN IF NOT EXISTS target_figures text, ADD COLUMN IF NOT EXISTS figures_form text");
            st.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".plan (position int PRIMARY KEY, schema_name text NOT NULL, "
                    + "table_name text NOT NULL, index int NOT NULL, of int NOT NULL, range text NOT NULL)");
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

    /** An import's data file (named by its path in the export), inside the file's transaction, after its COPY. */
    static void fileDone(Connection target, String file, long rows, long bytes) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + SCHEMA + ".chunk (id, rows, bytes) VALUES (?, ?, ?)")) {
            ps.setString(1, file);
            ps.setLong(2, rows);
            ps.setLong(3, bytes);
            ps.executeUpdate();
        }
    }

    /** Called inside the chunk's transaction, after its COPY. */
    static void chunkDone(Connection target, Chunk chunk, long rows, long bytes, ChunkCopier.Figures figures) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + SCHEMA
                + ".chunk (id, rows, bytes, source_figures, target_figures, figures_form) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, chunk.id());
            ps.setLong(2, rows);
            ps.setLong(3, bytes);
            ps.setString(4, figures.source());
            ps.setString(5, figures.target());
            ps.setString(6, figures.form());
            ps.executeUpdate();
        }
    }

    /** The figures recorded with each chunk that was checked as it was copied (the target's null for block ranges). */
    static Map<String, ChunkCopier.Figures> checkedChunks(Connection target) throws SQLException {
        Map<String, ChunkCopier.Figures> checked = new HashMap<>();
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("SELECT id, source_figures, target_figures, "
                + "figures_form FROM " + SCHEMA + ".chunk WHERE source_figures IS NOT NULL")) {
            while (rs.next()) {
                checked.put(rs.getString(1), new ChunkCopier.Figures(rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        return checked;
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

    /**
     * The chunks as the first run cut them. A resumed run copies by this plan, not by a new one: table
     * sizes (and so block ranges) can change between runs, and a chunk recorded as done must mean the
     * same rows in every run.
     */
    static List<Chunk> plan(Connection target, List<Chunk> fresh, List<TableInfo> tables) throws SQLException {
        Map<String, TableInfo> byName = new HashMap<>();
        tables.forEach(t -> byName.put(t.schema() + "\u0000" + t.name(), t));
        List<Chunk> recorded = new ArrayList<>();
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT schema_name, table_name, index, of, range FROM " + SCHEMA + ".plan ORDER BY position")) {
            while (rs.next()) {
                TableInfo t = byName.get(rs.getString(1) + "\u0000" + rs.getString(2));
                if (t == null) {
                    throw new SQLException("the source has no table " + rs.getString(1) + "." + rs.getString(2) + " any more, which the move"
                            + " began to copy: the source changed; move again into an empty database");
                }
                String range;
                try {
                    range = ChunkRange.reparse(t, rs.getString(5)); // numbers, written again: the target's text never reaches the source
                } catch (IllegalArgumentException e) {
                    throw new SQLException("the move's plan in the target (" + SCHEMA + ".plan) is not one Uplift wrote: " + e.getMessage()
                            + "; move again into an empty database", e);
                }
                recorded.add(new Chunk(t, rs.getInt(3), rs.getInt(4), range));
            }
        }
        if (!recorded.isEmpty()) {
            java.util.Set<TableInfo> planned = new java.util.HashSet<>();
            recorded.forEach(c -> planned.add(c.table()));
            for (TableInfo t : tables) {
                if (!planned.contains(t)) {
                    throw new SQLException("the source has a table " + t.label() + " that it did not have when the move began: the source"
                            + " changed; move again into an empty database");
                }
            }
            return List.copyOf(recorded);
        }
        boolean autoCommit = target.getAutoCommit();
        target.setAutoCommit(false);
        try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + SCHEMA + ".plan VALUES (?, ?, ?, ?, ?, ?)")) {
            int position = 0;
            for (Chunk c : fresh) {
                ps.setInt(1, position++);
                ps.setString(2, c.table().schema());
                ps.setString(3, c.table().name());
                ps.setInt(4, c.index());
                ps.setInt(5, c.of());
                ps.setString(6, c.range());
                ps.addBatch();
            }
            ps.executeBatch();
            target.commit();
        } finally {
            target.setAutoCommit(autoCommit);
        }
        return fresh;
    }
}
