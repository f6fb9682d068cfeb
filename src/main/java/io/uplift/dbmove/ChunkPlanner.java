package io.uplift.dbmove;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the tables into chunks: a table above the threshold with an integer key is split into key
 * ranges, enough for every worker to take part and each at most about {@code chunkBytes}; the
 * largest tables come first so that the last chunk to finish is a small one.
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
        for (TableInfo t : tables) {
            if (t.intKey() == null || t.bytes() <= splitAboveBytes) {
                chunks.add(new Chunk(t, 1, 1, ""));
                continue;
            }
            long min;
            long max;
            try (Statement st = source.createStatement();
                 ResultSet rs = st.executeQuery("SELECT min(" + t.intKey() + "), max(" + t.intKey() + ") FROM " + t.qualified())) {
                rs.next();
                min = rs.getLong(1);
                max = rs.getLong(2);
            }
            int pieces = (int) Math.min(1024, Math.max(threads * 2L, (t.bytes() + chunkBytes - 1) / chunkBytes));
            long width = Math.max(1, (max - min) / pieces + 1);
            for (int i = 0; i < pieces; i++) {
                long lo = min + i * width;
                String range = i == 0 ? t.intKey() + " < " + (lo + width)
                        : i == pieces - 1 ? t.intKey() + " >= " + lo
                        : t.intKey() + " >= " + lo + " AND " + t.intKey() + " < " + (lo + width);
                chunks.add(new Chunk(t, i + 1, pieces, range));
            }
        }
        return List.copyOf(chunks);
    }
}
