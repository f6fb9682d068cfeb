package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import io.uplift.db.ServerVersion;

/**
 * Cuts the tables into chunks: a table above the threshold is split into ranges of its integer
 * key, or else of its heap blocks, enough for every worker to take part and each at most about
 * {@code chunkBytes}; the largest tables come first so that the last chunk to finish is a small one.
 */
final class ChunkPlanner {
    private final long splitAboveBytes;
    private final long chunkBytes;
    private final int threads;

    ChunkPlanner(long splitAboveBytes, long chunkBytes, int threads) {
        this.splitAboveBytes = splitAboveBytes;
        this.chunkBytes = chunkBytes;
        this.threads = threads;
    }

    List<Chunk> plan(Connection source, List<TableInfo> tables) throws SQLException {
        List<Chunk> chunks = new ArrayList<>();
        boolean tidRangeScans = ServerVersion.of(source).major() >= 14;
        for (TableInfo t : tables) {
            if (t.bytes() <= splitAboveBytes) {
                chunks.add(new Chunk(t, 1, 1, ""));
            } else if (t.intKey() != null) {
                chunks.addAll(byKey(source, t));
            } else {
                chunks.addAll(byBlock(source, t, tidRangeScans));
            }
        }
        return List.copyOf(chunks);
    }

    private int pieces(TableInfo t) {
        return (int) Math.min(1024, Math.max(threads * 2L, (t.bytes() + chunkBytes - 1) / chunkBytes));
    }

    private List<Chunk> byKey(Connection source, TableInfo t) throws SQLException {
        long min;
        long max;
        try (Statement st = source.createStatement();
             ResultSet rs = st.executeQuery("SELECT min(" + t.intKey() + "), max(" + t.intKey() + ") FROM ONLY " + t.qualified())) {
            rs.next();
            min = rs.getLong(1);
            max = rs.getLong(2);
        }
        return ranges(t, t.intKey(), pieces(t), min, max);
    }

    /**
     * A table without an integer key is cut by physical position: ranges of heap blocks, as ctid
     * ranges. PostgreSQL 14 and later read such a range alone (a TID range scan); older servers scan
     * the whole table for each range, so there the table is cut only into twice as many pieces as
     * there are workers. The move holds a lock on the table from its snapshot on, so no rewrite
     * (VACUUM FULL, CLUSTER) can move rows between ranges while it runs.
     */
    private List<Chunk> byBlock(Connection source, TableInfo t, boolean tidRangeScans) throws SQLException {
        long blocks;
        try (Statement st = source.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_relation_size('" + t.qualified().replace("'", "''")
                + "'::regclass, 'main') / current_setting('block_size')::bigint")) {
            rs.next();
            blocks = rs.getLong(1);
        }
        int pieces = tidRangeScans ? pieces(t) : threads * 2;
        return ranges(t, ChunkRange.CTID, (int) Math.max(1, Math.min(pieces, blocks)), 0, Math.max(0, blocks - 1));
    }

    /** {@code pieces} ranges of {@code column} over [min, max]; the first and the last are open, so together they cover every value. */
    private static List<Chunk> ranges(TableInfo t, String column, int pieces, long min, long max) {
        List<Chunk> chunks = new ArrayList<>();
        long width = Math.max(1, (max - min) / pieces + 1);
        for (int i = 0; i < pieces; i++) {
            long lo = min + i * width;
            String range = pieces == 1 ? ""
                    : ChunkRange.render(column, i == 0 ? null : lo, i == pieces - 1 ? null : lo + width);
            chunks.add(new Chunk(t, i + 1, pieces, range));
        }
        return chunks;
    }
}
