package io.uplift.cluster;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.api.ClusterStateChange;
import io.uplift.db.ConnectionString;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's coordination following the product database when the primary's upgrade moves it
 * to a new server (upgrade step MOVE_DATABASE): the agents coordinate through uplift_cluster, so
 * those rows must be where every node will look next, and every node must learn where that is.
 *
 * <p>The move itself copies the schema of uplift_cluster but none of its rows ({@link #moveFilters}):
 * the agents keep beating and the leader keeps writing while the move runs, so a copy of those rows
 * taken at the move's snapshot would be stale at once and would fail the move's validation. The rows
 * are carried afterwards by {@link #carry}, in one short transaction on the old database that locks
 * the cluster tables against writes, copies every row, fences the old lease for good and leaves the
 * marker "moved to HOST:PORT/DATABASE at upgrade N" (no credentials). Each agent sees the marker on
 * its next round and follows ({@link RelocationFollower}); nothing written on the old database after
 * the marker counts: the old lease is held by the marker for ever, so no leader can write there.
 *
 * <p>The lease carried to the new database is expired and its fence is above every fence the old
 * database gave, so the first agent to arrive leads with a fence no former leader ever held.
 */
public final class DatabaseRelocation {
    /** The marker table: 'to' rows in the database that was left, a 'from' row in the one moved to. */
    static final String MOVES = ClusterSchema.SCHEMA + ".uplift_cluster_moves";
    private static final String TO = "to";
    private static final String FROM = "from";
    /** Writers wait for the carry; the carry does not wait for ever for them. */
    private static final String LOCK_WAIT = "30s";

    /** Where a cluster database went (or came from): server and database only, never who logs in. */
    public record Move(long upgradeId, String host, int port, String database, String byNode, String machine) {
        String where() {
            return host + ":" + port + "/" + database;
        }
    }

    private DatabaseRelocation() {}

    /**
     * The move's row filters for a cluster database: every table of uplift_cluster copied empty (its
     * rows are carried by {@link #carry}); none for a database without the cluster's tables.
     */
    public static Map<String, String> moveFilters(DatabaseSettings source) {
        try (Connection conn = connect(source, "reading the cluster's tables before the move")) {
            Map<String, String> filters = new LinkedHashMap<>();
            for (String table : tables(conn)) {
                filters.put(ClusterSchema.SCHEMA + "." + table, "false");
            }
            return filters;
        } catch (SQLException e) {
            throw failure("reading the cluster's tables before the move", e);
        }
    }

    /**
     * Carries the cluster's rows from {@code from} to {@code to} and leaves the marker in {@code from};
     * false when {@code from} holds no cluster (a single node). Run again after an interruption it does
     * the same, and once the marker is in place it does nothing: from then on agents may write on the
     * new database, and copying again would wipe what they wrote.
     *
     * <p>The marker names the new server as {@code to} names it, the primary's node id (its own move step
     * points its settings there; its agent only reconnects) and the primary's host name (a loopback
     * address in the marker is reachable from that machine only).
     */
    public static boolean carry(DatabaseSettings from, DatabaseSettings to, Path primaryHome) {
        try (Connection src = connect(from, "carrying the cluster's rows from the old database");
             Connection dst = connect(to, "carrying the cluster's rows to the new database")) {
            if (!ClusterSchema.exists(src)) {
                return false;
            }
            long upgradeId = ClusterLog.latest(src).map(ClusterStateChange::upgradeId).orElse(0L);
            Move where = new Move(upgradeId, host(to), port(to), database(to), NodeId.read(primaryHome).orElse(""), ClusterAgent.host());
            Move left = new Move(upgradeId, host(from), port(from), database(from), where.byNode(), where.machine());
            ensureMoves(src);
            ClusterSchema.ensure(dst);
            ensureMoves(dst);
            Transactions.readWrite(src, () -> {
                try (Statement st = src.createStatement()) {
                    st.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT + "'");
                    List<String> tables = tables(src);
                    st.execute("LOCK TABLE " + String.join(", ", qualified(tables)) + ", " + MOVES + " IN EXCLUSIVE MODE");
                    if (movedTo(src).filter(m -> m.where().equals(where.where())).isPresent()) {
                        return; // carried before this run was interrupted
                    }
                    long fence = fenceOldLease(src, where);
                    Transactions.readWrite(dst, () -> {
                        try (Statement d = dst.createStatement()) {
                            d.execute("TRUNCATE " + String.join(", ", qualified(tables)));
                        }
                        for (String table : tables) {
                            copyRows(src, dst, table);
                        }
                        expireLease(dst, fence);
                        insertMove(dst, FROM, left);
                    });
                    insertMove(src, TO, where);
                    WakeUp.notifyAll(src);
                }
            });
            return true;
        } catch (SQLException e) {
            throw failure("carrying the cluster's tables to the new database", e);
        }
    }

    /**
     * Undoes {@link #carry} when the primary's move is undone: the cluster's rows come back from the new
     * database when it can still be reached (what happened there since the move is kept), the new
     * database's lease is taken for good and a marker there points back at the old one (agents still
     * connected follow it back), and the old database's marker goes, with its lease free again under a
     * fence above both databases'. Nothing to do for a database without the marker.
     */
    public static void withdraw(DatabaseSettings old, DatabaseSettings moved) {
        try (Connection dst = tryConnect(old)) {
            // A single node's old server is stopped: no cluster to bring back (the undo calls again once it runs).
            if (dst == null || !ClusterSchema.exists(dst) || movedTo(dst).isEmpty()) {
                return;
            }
            Connection src = sameServer(old, moved) ? null : tryConnect(moved);
            try {
                Transactions.readWrite(dst, () -> {
                    try (Statement st = dst.createStatement()) {
                        st.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT + "'");
                        List<String> tables = tables(dst);
                        st.execute("LOCK TABLE " + String.join(", ", qualified(tables)) + ", " + MOVES + " IN EXCLUSIVE MODE");
                        long fence = fenceOf(dst);
                        if (src != null && ClusterSchema.exists(src)) {
                            ensureMoves(src);
                            Move back = movedTo(dst).get();
                            fence = Math.max(fence, Transactions.readWrite(src, () -> {
                                try (Statement s2 = src.createStatement()) {
                                    s2.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT + "'");
                                    s2.execute("LOCK TABLE " + String.join(", ", qualified(tables(src))) + ", " + MOVES + " IN EXCLUSIVE MODE");
                                }
                                st.execute("TRUNCATE " + String.join(", ", qualified(tables)));
                                for (String table : tables(src)) {
                                    copyRows(src, dst, table);
                                }
                                Move to = new Move(back.upgradeId(), host(old), port(old), database(old), back.byNode(), back.machine());
                                long taken = fenceOldLease(src, to);
                                insertMove(src, TO, to);
                                WakeUp.notifyAll(src);
                                return taken;
                            }));
                        }
                        expireLease(dst, fence + 1);
                        st.execute("DELETE FROM " + MOVES + " WHERE direction = '" + TO + "'");
                        WakeUp.notifyAll(dst);
                    }
                });
            } finally {
                if (src != null) {
                    src.close();
                }
            }
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "While bringing the cluster's tables back to the old database: " + e.getMessage()
                    + ". Run 'uplift rollback' again.", e);
        }
    }

    /** The settings in a properties file's bytes (a node's kept config/database.properties). */
    public static DatabaseSettings parse(byte[] properties) {
        java.util.Properties p = new java.util.Properties();
        try {
            p.load(new java.io.StringReader(new String(properties, java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e); // a string reader does not fail
        }
        return new DatabaseSettings(p.getProperty("url", "").trim(), p.getProperty("user", "").trim(), p.getProperty("password", ""));
    }

    static boolean sameServer(DatabaseSettings a, DatabaseSettings b) {
        return host(a).equals(host(b)) && port(a) == port(b) && database(a).equals(database(b));
    }

    private static Connection tryConnect(DatabaseSettings db) {
        try {
            return Jdbc.connect(db.url(), db.user(), db.password());
        } catch (UpliftException e) {
            return null; // stopped: for the new server, an undo run again (the rows of the move's instant stay)
        }
    }

    private static long fenceOf(Connection conn) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT coalesce(max(fence), 0) FROM " + ClusterSchema.LEASE)) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * {@code conn}, or a connection to where the cluster went when {@code conn}'s database holds a marker
     * (followed up to a few moves), logged in with {@code mine}'s user and password; {@code conn} itself
     * when the new server cannot be reached that way (its history up to the move is still there).
     */
    static Connection whereTheClusterIs(Connection conn, DatabaseSettings mine) {
        Connection current = conn;
        DatabaseSettings settings = mine;
        for (int hops = 0; hops < 5; hops++) {
            try {
                Optional<Move> moved = ClusterSchema.exists(current) ? movedTo(current) : Optional.empty();
                if (moved.isEmpty()) {
                    return current;
                }
                settings = RelocationFollower.settingsAt(settings, moved.get());
                Connection there = Jdbc.connect(settings.url(), settings.user(), settings.password());
                current.close();
                current = there;
            } catch (SQLException | UpliftException e) {
                return current;
            }
        }
        return current;
    }

    /** The newest marker of this database: where the cluster went; empty while the cluster is here. */
    static Optional<Move> movedTo(Connection conn) throws SQLException {
        return latest(conn, TO, -1);
    }

    /** Where the cluster came from in upgrade {@code upgradeId}, if that upgrade moved it here. */
    static Optional<Move> movedFrom(Connection conn, long upgradeId) throws SQLException {
        return latest(conn, FROM, upgradeId);
    }

    /**
     * The nodes of the upgrade (the primary aside) whose agent has not beaten on this database since the
     * cluster moved here, more than {@code silentAfterSeconds} after the move: their agent could not follow
     * (its node cannot reach or log in to the new server), and what it said is on that node.
     */
    static List<String> stranded(Connection conn, long upgradeId, List<String> nodes, long silentAfterSeconds) throws SQLException {
        if (to_regclass(conn, MOVES).isEmpty() || movedFrom(conn, upgradeId).isEmpty() || nodes.size() < 2) {
            return List.of();
        }
        List<String> stranded = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT n.node_id FROM unnest(?::text[]) AS n(node_id)"
                + " CROSS JOIN (SELECT at FROM " + MOVES + " WHERE direction = '" + FROM + "' AND upgrade_id = ? ORDER BY id DESC LIMIT 1) m"
                + " LEFT JOIN " + ClusterSchema.AGENTS + " a USING (node_id)"
                + " WHERE now() > m.at + make_interval(secs => ?) AND (a.last_seen IS NULL OR a.last_seen <= m.at)")) {
            ps.setArray(1, conn.createArrayOf("text", nodes.subList(1, nodes.size()).toArray()));
            ps.setLong(2, upgradeId);
            ps.setDouble(3, silentAfterSeconds);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stranded.add(rs.getString(1));
                }
            }
        }
        return stranded;
    }

    private static Optional<Move> latest(Connection conn, String direction, long upgradeId) throws SQLException {
        if (to_regclass(conn, MOVES).isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT upgrade_id, host, port, database, by_node, machine FROM " + MOVES
                + " WHERE direction = ? AND (? < 0 OR upgrade_id = ?) ORDER BY id DESC LIMIT 1")) {
            ps.setString(1, direction);
            ps.setLong(2, upgradeId);
            ps.setLong(3, upgradeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Move(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                        rs.getString(6))) : Optional.empty();
            }
        }
    }

    private static Optional<String> to_regclass(Connection conn, String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT to_regclass(?)::text")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Optional.ofNullable(rs.getString(1));
            }
        }
    }

    private static void ensureMoves(Connection conn) throws SQLException {
        if (to_regclass(conn, MOVES).isPresent()) {
            return;
        }
        Transactions.readWrite(conn, () -> {
            try (Statement st = conn.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS " + MOVES + " (id bigserial PRIMARY KEY, direction text NOT NULL, upgrade_id bigint NOT NULL,"
                        + " host text NOT NULL, port integer NOT NULL, database text NOT NULL, by_node text NOT NULL, machine text NOT NULL,"
                        + " at timestamptz NOT NULL DEFAULT now())");
            }
        });
    }

    /** The cluster's tables whose rows travel: all of uplift_cluster but the markers, which belong to each database. */
    private static List<String> tables(Connection conn) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind = 'r' AND c.relname <> 'uplift_cluster_moves' ORDER BY 1")) {
            ps.setString(1, ClusterSchema.SCHEMA);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    private static List<String> qualified(List<String> tables) {
        return tables.stream().map(t -> ClusterSchema.SCHEMA + "." + Jdbc.quoteIdentifier(t)).toList();
    }

    /** Every row of {@code table}, column by column, then its serial columns' sequences set past the rows. */
    private static void copyRows(Connection src, Connection dst, String table) throws SQLException {
        String name = ClusterSchema.SCHEMA + "." + Jdbc.quoteIdentifier(table);
        try (Statement st = src.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM " + name)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(Jdbc.quoteIdentifier(meta.getColumnName(i)));
            }
            String insert = "INSERT INTO " + name + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
            try (PreparedStatement ps = dst.prepareStatement(insert)) {
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        ps.setObject(i, rs.getObject(i));
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                setSerialPastRows(dst, name, meta.getColumnName(i));
            }
        }
    }

    /** A serial column's sequence (state.seq, requests.id) continues after the carried rows; other columns have none. */
    private static void setSerialPastRows(Connection dst, String table, String column) throws SQLException {
        String sequence;
        try (PreparedStatement ps = dst.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                sequence = rs.getString(1);
            }
        }
        if (sequence == null) {
            return;
        }
        try (PreparedStatement ps = dst.prepareStatement("SELECT setval(?::regclass, coalesce((SELECT max(" + Jdbc.quoteIdentifier(column)
                + ") FROM " + table + "), 0) + 1, false)")) {
            ps.setString(1, sequence);
            ps.executeQuery().close();
        }
    }

    /**
     * The old lease is taken for good by the marker (a fence above every fence given, a term without
     * end), so neither the leader of the moment nor any successor writes there again; returns that fence.
     */
    private static long fenceOldLease(Connection src, Move where) throws SQLException {
        try (PreparedStatement ps = src.prepareStatement("INSERT INTO " + ClusterSchema.LEASE + " AS l (name, holder, fence, lease_until)"
                + " VALUES (?, ?, 1, 'infinity') ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, fence = l.fence + 1,"
                + " lease_until = 'infinity' RETURNING fence")) {
            ps.setString(1, LeaderLease.NAME);
            ps.setString(2, "moved to " + where.where() + " at upgrade " + where.upgradeId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The carried lease, free at once and with the old database's last fence: the next leader's is above it. */
    private static void expireLease(Connection dst, long fence) throws SQLException {
        try (PreparedStatement ps = dst.prepareStatement("INSERT INTO " + ClusterSchema.LEASE + " AS l (name, holder, fence, lease_until)"
                + " VALUES (?, 'nobody since the move', ?, '-infinity') ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder,"
                + " fence = EXCLUDED.fence, lease_until = EXCLUDED.lease_until")) {
            ps.setString(1, LeaderLease.NAME);
            ps.setLong(2, fence);
            ps.executeUpdate();
        }
    }

    private static void insertMove(Connection conn, String direction, Move m) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + MOVES + " (direction, upgrade_id, host, port, database, by_node, machine)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, direction);
            ps.setLong(2, m.upgradeId());
            ps.setString(3, m.host());
            ps.setInt(4, m.port());
            ps.setString(5, m.database());
            ps.setString(6, m.byNode());
            ps.setString(7, m.machine());
            ps.executeUpdate();
        }
    }

    static String host(DatabaseSettings s) {
        return address(s).hosts().get(0).name();
    }

    static int port(DatabaseSettings s) {
        return address(s).hosts().get(0).port();
    }

    static String database(DatabaseSettings s) {
        return address(s).database();
    }

    private static ConnectionString address(DatabaseSettings s) {
        return ConnectionString.fromJdbc(s.url(), s.user(), ErrorCode.INSTALLATION_INVALID, DatabaseSettings.FILE);
    }

    private static Connection connect(DatabaseSettings db, String doing) {
        try {
            return Jdbc.connect(db.url(), db.user(), db.password());
        } catch (UpliftException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "While " + doing + ": " + e.getMessage(), e);
        }
    }

    private static UpliftException failure(String doing, SQLException e) {
        return new UpliftException(ErrorCode.DATABASE_MOVE, "While " + doing + ": " + e.getMessage() + ". The old database still holds"
                + " the cluster's rows and no agent left it; run 'uplift resume' on the primary to try again, or 'uplift rollback'.", e);
    }
}
