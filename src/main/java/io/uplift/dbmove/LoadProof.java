package io.uplift.dbmove;

import io.uplift.db.ServerVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The check of a table cut in several chunks on a server the move created itself, where the load
 * could change nothing but jsonb values: the target counts the rows and sums their jsonb hashes in
 * one scan, instead of printing every row back to this JVM. On the benchmark's events table
 * (PostgreSQL 16, 11 M rows) the scan takes about 4 s of the server's time against 11 s for the
 * read-back, which was most of what validation cost (bench/README.md, issue 18).
 *
 * <p>Why the scan proves what the read-back proves, "every row on the target is the row the source
 * sent, none missing, none extra", for these tables only. Each condition is checked, not assumed:
 * <ul>
 * <li>COPY stored each row as it came: in each chunk's transaction, after its COPY and before its
 *     commit, the table has no trigger, no rule and no generated column, and every column's type is
 *     one whose binary input keeps the bytes it is given and prints them back alike
 *     ({@link #KEPT_AS_SENT}); a trigger created later in post-data never saw the rows.</li>
 * <li>jsonb is the exception: its input parses the value. So its values are compared by
 *     {@code jsonb_hash} (see {@link JsonbCheckForm}): the sum of the source's hashes, taken as the rows
 *     passed, against the sum the target computes from what it stored.</li>
 * <li>No row lost: COPY's own count of each chunk equals the rows the source sent, and the
 *     target's count of the table equals their sum.</li>
 * <li>No row added or changed by anyone else: every row's {@code xmin} is the transaction of one of
 *     the move's chunks. A row another transaction inserted or updated carries that transaction's id;
 *     one it deleted is missing from the count.</li>
 * <li>Every chunk of the table was copied by this run, so the chunks' transactions are all known; a
 *     table an interrupted run began is read back whole.</li>
 * </ul>
 * On a target the move does not own, every table is still read back: others administer that server
 * (extensions, hooks, policies this class does not look at), and the read-back measures the rows
 * whatever changed them. A table that fails any condition is read back whole, as before; a later
 * {@code uplift db move --validate} reads every table back.
 */
final class LoadProof {
    /**
     * Types whose binary receive function stores the bytes it is given and whose send function prints
     * them back unchanged (text and json only check the encoding; the others are fixed-size values or
     * bytes), so a row of them is on the target as COPY received it.
     */
    static final List<String> KEPT_AS_SENT = List.of("boolean", "smallint", "integer", "bigint", "real", "double precision",
            "oid", "text", "character varying", "name", "bytea", "date", "time without time zone", "timestamp without time zone",
            "timestamp with time zone", "interval", "uuid", "inet", "cidr", "macaddr", "json", "jsonb");

    /** Nothing proven: every table is read back (a target the move does not own, or no validation). */
    static final LoadProof NONE = new LoadProof(Map.of());

    /** One chunk as it went in: its transaction, COPY's count, what the source sent, and whether the load could change it. */
    record ChunkLoad(long xid, long copied, long sentRows, String sentFigure, long[] jsonbSums, boolean keptAsSent) {}

    /** What the target holds of a table, or of a piece of it: rows, rows of another transaction, each jsonb column's hash sum. */
    record Counted(long rows, long foreign, long[] jsonbSums) {
        static Counted nothing(int jsonbColumns) {
            return new Counted(0, 0, new long[jsonbColumns]);
        }

        Counted plus(Counted other) {
            long[] sums = jsonbSums.clone();
            for (int i = 0; i < sums.length; i++) {
                sums[i] += other.jsonbSums[i];
            }
            return new Counted(rows + other.rows, foreign + other.foreign, sums);
        }
    }

    private final Map<TableInfo, Integer> chunksPlanned;
    private final Map<TableInfo, List<ChunkLoad>> loads = new HashMap<>();

    private LoadProof(Map<TableInfo, Integer> chunksPlanned) {
        this.chunksPlanned = chunksPlanned;
    }

    /** A proof for the tables of {@code chunks} that are checked whole, on a target the move created. */
    static LoadProof forOwnTarget(List<Chunk> chunks) {
        return new LoadProof(chunks.stream().filter(TableChecks::checkedWhole)
                .collect(Collectors.toMap(Chunk::table, c -> 1, Integer::sum)));
    }

    /** Whether the chunks of {@code table} are recorded here. */
    boolean covers(TableInfo table) {
        return chunksPlanned.containsKey(table);
    }

    /**
     * Called in the chunk's transaction on the target, after its COPY ended and before its commit:
     * takes the transaction's id and whether the load could have changed a row.
     */
    static ChunkLoad inTransaction(Connection target, TableInfo table, long copied, RowChecksum sent, long[] jsonbSums)
            throws SQLException {
        boolean generated = ServerVersion.of(target).major() >= 12;
        String sql = "SELECT txid_current(), NOT c.relhasrules"
                + " AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = c.oid)"
                + " AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND (format_type(a.atttypid, NULL) <> ALL (?::text[])" + (generated ? " OR a.attgenerated <> ''" : "") + "))"
                + " FROM pg_class c WHERE c.oid = ?::regclass";
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            ps.setArray(1, target.createArrayOf("text", KEPT_AS_SENT.toArray()));
            ps.setString(2, table.qualified());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new ChunkLoad(rs.getLong(1), copied, sent.rows(), sent.figure(), jsonbSums.clone(), rs.getBoolean(2));
            }
        }
    }

    /** Records a chunk once it is committed. */
    synchronized void committed(Chunk chunk, ChunkLoad load) {
        if (covers(chunk.table())) {
            loads.computeIfAbsent(chunk.table(), t -> new ArrayList<>()).add(load);
        }
    }

    /**
     * Whether {@code table} can be checked by {@link #count}: all its chunks were loaded by this run,
     * none of them could change a row, and COPY counted each chunk's rows as the source sent them.
     */
    synchronized boolean applies(TableInfo table) {
        List<ChunkLoad> done = loads.getOrDefault(table, List.of());
        return covers(table) && done.size() == chunksPlanned.get(table)
                && done.stream().allMatch(l -> l.keptAsSent() && l.copied() == l.sentRows());
    }

    /** What the target must hold of {@code table}: every row sent, none of another transaction, the source's jsonb hash sums. */
    synchronized Counted expected(TableInfo table) {
        Counted sum = Counted.nothing(table.jsonb().size());
        for (ChunkLoad l : loads.getOrDefault(table, List.of())) {
            sum = sum.plus(new Counted(l.copied(), 0, l.jsonbSums()));
        }
        return sum;
    }

    /** The figure of the rows sent, which is the target's once {@link #expected} holds there. */
    synchronized String sentFigure(TableInfo table) {
        return loads.getOrDefault(table, List.of()).stream().map(ChunkLoad::sentFigure).reduce(RowChecksum.NOTHING, RowChecksum::add);
    }

    /** The move's chunk transactions of {@code table}, for {@link #count}. */
    synchronized long[] transactions(TableInfo table) {
        return loads.getOrDefault(table, List.of()).stream().mapToLong(ChunkLoad::xid).toArray();
    }

    /**
     * Counts the rows of {@code table} matching {@code range} on the target ("" for all), those not
     * written by one of {@code xids}, and sums each jsonb column's hashes: one scan, nothing shipped.
     */
    static Counted count(Connection conn, TableInfo table, String range, long[] xids) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT count(*), count(*) FILTER (WHERE NOT (xmin = ANY (?::xid[])))");
        for (int i : table.jsonb()) {
            sql.append(", coalesce(sum(jsonb_hash(").append(table.columns().get(i)).append(")::bigint), 0)");
        }
        sql.append(" FROM ONLY ").append(table.qualified());
        if (!range.isEmpty()) {
            sql.append(" WHERE ").append(range);
        }
        try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
            // xid has no cast from bigint; its text form is the 32-bit id, which txid_current() holds in its low half
            ps.setArray(1, conn.createArrayOf("text", Arrays.stream(xids).mapToObj(x -> Long.toString(x & 0xFFFFFFFFL)).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long[] sums = new long[table.jsonb().size()];
                for (int i = 0; i < sums.length; i++) {
                    sums[i] = rs.getLong(3 + i);
                }
                return new Counted(rs.getLong(1), rs.getLong(2), sums);
            }
        }
    }

    /** Whether the target's count of a table is what the load proves it must be. */
    static boolean holds(Counted expected, Counted onTarget) {
        return onTarget.rows() == expected.rows() && onTarget.foreign() == 0 && Arrays.equals(onTarget.jsonbSums(), expected.jsonbSums());
    }
}
