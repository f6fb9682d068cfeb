package io.uplift.dbmove;

import io.uplift.api.MoveListener;
import io.uplift.db.ServerVersion;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The target's side of the check of a table copied in several chunks: the figure of the whole
 * table read back once, instead of each chunk read back before its commit. The target has no
 * indexes while rows arrive, so reading back one chunk by its key range scans every page of the
 * table copied so far; for a table of n chunks that is about n/2 whole-table reads. Read once,
 * after its last chunk is committed, the table costs one read, and that read runs beside the
 * move's other work rather than in a copy worker's path.
 *
 * <p>The comparison itself stays with the validation phase: the sum of the chunks' recorded
 * source figures against this figure. A read that fails, or a table finished by an earlier run,
 * is simply read when the validation asks for it.
 */
final class TableChecks extends ForwardingMoveListener {
    private final PgUrl target;
    private final Map<String, TableInfo> tablesByLabel;
    private boolean afterIndexes;
    private final Map<TableInfo, List<Future<String>>> figures = new ConcurrentHashMap<>();
    private final Map<TableInfo, List<Future<LoadProof.Counted>>> counts = new ConcurrentHashMap<>();
    private final java.util.Set<TableInfo> countHeld = ConcurrentHashMap.newKeySet();
    private final LoadProof proof;
    private final int pieces;
    private final ExecutorService reader;

    /** {@code threads}: how many pieces of a table are read side by side. */
    TableChecks(MoveListener delegate, PgUrl target, int threads, java.util.Collection<TableInfo> tables) {
        this(delegate, target, threads, tables, LoadProof.NONE);
    }

    /** {@code proof}: the tables it {@link LoadProof#applies applies} to are counted on the target instead of read back. */
    TableChecks(MoveListener delegate, PgUrl target, int threads, java.util.Collection<TableInfo> tables, LoadProof proof) {
        super(delegate);
        this.target = target;
        this.proof = proof;
        this.pieces = Math.max(1, threads);
        this.reader = Executors.newFixedThreadPool(pieces, Threads.daemon("uplift-move-check"));
        Map<String, TableInfo> byLabel = new java.util.HashMap<>();
        tables.forEach(t -> byLabel.put(t.label(), t));
        this.tablesByLabel = byLabel;
    }

    /** Whether a chunk's target side is taken for its whole table (binary tables cut in several chunks). */
    static boolean checkedWhole(Chunk chunk) {
        return chunk.of() > 1 && chunk.table().binary();
    }

    /** The figure of {@code table} as the target holds it now. */
    static String read(Connection conn, TableInfo table) throws SQLException {
        return read(conn, table, "");
    }

    private static String read(Connection conn, TableInfo table, String range) throws SQLException {
        try {
            return RowChecksum.of(conn, ChunkCopier.checkSql(new Chunk(table, 1, 1, range)));
        } catch (IOException e) {
            throw new SQLException("reading " + table.label() + " back from the target: " + e.getMessage(), e);
        }
    }

    /**
     * Piece {@code piece} of {@code pieces} of the table, by heap blocks: on PostgreSQL 14 and later a
     * TID range scan reads only that piece, so the pieces are read side by side; an older target
     * reads the whole table as piece 0 and nothing for the others.
     */
    static String readPiece(Connection conn, TableInfo table, int piece, int pieces) throws SQLException {
        return readPiece(conn, table, piece, pieces, new BlockCount(table));
    }

    private static String readPiece(Connection conn, TableInfo table, int piece, int pieces, BlockCount blockCount) throws SQLException {
        return piece(conn, piece, pieces, blockCount, range -> read(conn, table, range), RowChecksum.NOTHING);
    }

    /** Piece {@code piece} of the table counted for {@link LoadProof}, cut as {@link #readPiece} cuts it. */
    static LoadProof.Counted countPiece(Connection conn, TableInfo table, int piece, int pieces, long[] xids) throws SQLException {
        return countPiece(conn, table, piece, pieces, xids, new BlockCount(table));
    }

    private static LoadProof.Counted countPiece(Connection conn, TableInfo table, int piece, int pieces, long[] xids, BlockCount blockCount)
            throws SQLException {
        return piece(conn, piece, pieces, blockCount, range -> LoadProof.count(conn, table, range, xids),
                LoadProof.Counted.nothing(table.jsonb().size()));
    }

    /** What a query of the rows in a range gives: the table's figure read back, or its count. */
    @FunctionalInterface
    private interface RangeQuery<T> {
        T of(String range) throws SQLException;
    }

    private static <T> T piece(Connection conn, int piece, int pieces, BlockCount blockCount, RangeQuery<T> query, T nothing)
            throws SQLException {
        if (pieces == 1 || ServerVersion.of(conn).major() < 14) {
            return piece == 0 ? query.of("") : nothing;
        }
        long blocks = blockCount.of(conn);
        long from = blocks * piece / pieces;
        long to = blocks * (piece + 1) / pieces;
        String lower = "ctid >= '(" + from + ",0)'::tid";
        String upper = "ctid < '(" + to + ",0)'::tid";
        String range = piece == 0 ? upper : piece == pieces - 1 ? lower : lower + " AND " + upper;
        return query.of(range);
    }

    /**
     * The table's size in blocks, taken once for all its pieces: a vacuum may cut empty pages off the
     * end of the table between two pieces' starts, and boundaries computed from two different sizes
     * would read some blocks twice. Rows never move, so one size's boundaries cover every row once.
     */
    private static final class BlockCount {
        private final TableInfo table;
        private Long blocks;

        BlockCount(TableInfo table) {
            this.table = table;
        }

        synchronized long of(Connection conn) throws SQLException {
            if (blocks == null) {
                try (PreparedStatement ps = conn.prepareStatement("SELECT pg_relation_size(?::regclass) / current_setting('block_size')::int")) {
                    ps.setString(1, table.qualified());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        blocks = rs.getLong(1);
                    }
                }
            }
            return blocks;
        }
    }

    /**
     * Reads (or counts, {@link LoadProof}) each table once its early index build has ended rather
     * than as soon as its rows are in: the build is on the move's critical path (its VACUUM and the
     * foreign keys wait for it) and the check is not, so the check takes the processor time that the
     * single-process VACUUM and foreign-key checks leave idle. Measured for the count on the bench's
     * 11 M events (bench/README.md, issue 18, fourth session): begun as soon as the rows were in, it
     * took half a core from the index builds; after them, the builds end 1-2 s sooner and the
     * count hides behind the VACUUM and the foreign keys.
     */
    TableChecks after(EarlyIndexes early) {
        if (early != null) {
            this.afterIndexes = true;
            early.whenBuilt(this::ready);
        }
        return this;
    }

    @Override
    public void tableCopied(String label, long rows, long bytes, Duration took) {
        super.tableCopied(label, rows, bytes, took);
        if (!afterIndexes) {
            ready(label);
        }
    }

    private synchronized void ready(String label) {
        TableInfo table = tablesByLabel.get(label);
        if (table == null || reader.isShutdown() || counts.containsKey(table) || figures.containsKey(table)) {
            return;
        }
        BlockCount blockCount = new BlockCount(table);
        if (proof.applies(table)) {
            long[] xids = proof.transactions(table);
            counts.put(table, inPieces((conn, piece) -> countPiece(conn, table, piece, pieces, xids, blockCount)));
        } else {
            figures.put(table, inPieces((conn, piece) -> readPiece(conn, table, piece, pieces, blockCount)));
        }
    }

    /** One piece's query, on its own connection. */
    @FunctionalInterface
    private interface PieceQuery<T> {
        T of(Connection conn, int piece) throws SQLException;
    }

    /** Runs the query of each piece on the reader threads, side by side. */
    private <T> List<Future<T>> inPieces(PieceQuery<T> query) {
        List<Future<T>> parts = new ArrayList<>();
        for (int i = 0; i < pieces; i++) {
            int piece = i;
            parts.add(reader.submit(() -> {
                try (Connection conn = MoveConnections.open(target)) {
                    return query.of(conn, piece);
                }
            }));
        }
        return parts;
    }

    /** The tables checked by their count on the target ({@link LoadProof}) rather than read back. */
    java.util.Set<TableInfo> counted() {
        return java.util.Set.copyOf(counts.keySet());
    }

    /** Of {@link #counted}, those whose count held when {@link #figure} asked: the others were read back after all. */
    java.util.Set<TableInfo> countHeld() {
        return java.util.Set.copyOf(countHeld);
    }

    /**
     * The figure read once the table was ready (see {@link #after}); for a table the load could not
     * change, the figure of the rows sent once the target's count proves it holds them; else (or
     * when the count differs, to report what the target really holds) read now on {@code conn}.
     */
    String figure(Connection conn, TableInfo table) throws SQLException {
        List<Future<LoadProof.Counted>> counting = counts.get(table);
        if (counting != null) {
            try {
                LoadProof.Counted onTarget = LoadProof.Counted.nothing(table.jsonb().size());
                for (Future<LoadProof.Counted> part : counting) {
                    onTarget = onTarget.plus(part.get());
                }
                LoadProof.Counted expected = proof.expected(table);
                if (LoadProof.holds(expected, onTarget)) {
                    countHeld.add(table);
                    return proof.sentFigure(table);
                }
                phase("validation: " + table.label() + " on the new server holds " + onTarget.rows() + " rows (" + expected.rows()
                        + " sent), " + onTarget.foreign() + " written by another transaction, jsonb hash sums "
                        + (java.util.Arrays.equals(expected.jsonbSums(), onTarget.jsonbSums()) ? "equal" : "different")
                        + ": reading it back whole");
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                phase("validation: counting " + table.label() + " on the new server failed (" + e.getMessage() + "): reading it back whole");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the check of " + table.label(), e);
            }
            return read(conn, table);
        }
        List<Future<String>> parts = figures.get(table);
        if (parts != null) {
            try {
                String sum = RowChecksum.NOTHING;
                for (Future<String> part : parts) {
                    sum = RowChecksum.add(sum, part.get());
                }
                return sum;
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // an early read failed (e.g. its connection dropped): read again below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the check of " + table.label(), e);
            }
        }
        return read(conn, table);
    }

    /** Stops reads not yet begun (the move failed, or validation has taken what it needs). */
    void abandon() {
        reader.shutdownNow();
    }
}
