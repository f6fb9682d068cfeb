package io.uplift.dbmove;

import com.fasterxml.jackson.core.type.TypeReference;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --drop-source-indexes}: the source's indexes that no constraint needs (not those of primary
 * keys, unique or exclusion constraints, nor unique indexes a foreign key references), recorded as
 * DDL in {@link #FILE} and dropped on the source before the copy, to free their room. The move
 * carries them all the same: it creates them on the target after post-data (and the export's
 * post-data.sql holds them), and validation expects them there. The definitions are also kept in
 * the target's move records, so a resumed move still creates them.
 */
public final class SourceIndexes {
    public static final String FILE = "source-indexes.sql";
    private static final String INFO_KEY = "dropped-source-indexes";

    /**
     * One droppable index.
     *
     * @param definition  pg_get_indexdef with every name qualified (search_path = pg_catalog): the DDL
     * @param fingerprint pg_get_indexdef as the schema comparison prints it (the server's default search_path)
     * @param extra       ALTER TABLE ... CLUSTER ON and COMMENT ON INDEX, when the index had them
     */
    public record Index(String schema, String table, String name, String definition, String fingerprint, long bytes, boolean unique,
            List<String> extra) {
        public String qualifiedName() {
            return TableInfo.quote(schema) + "." + TableInfo.quote(name);
        }
    }

    /** What the flag would drop, and how many constraint indexes stay. */
    public record Found(List<Index> indexes, int kept) {
        public long bytes() {
            return indexes.stream().mapToLong(Index::bytes).sum();
        }
    }

    private SourceIndexes() {}

    private static final String CANDIDATES = "SELECT i.indexrelid, n.nspname, ct.relname, ci.relname, pg_relation_size(i.indexrelid), i.indisunique, "
            + "CASE WHEN i.indisclustered THEN format('ALTER TABLE %I.%I CLUSTER ON %I', n.nspname, ct.relname, ci.relname) END, "
            + "CASE WHEN d.description IS NOT NULL THEN format('COMMENT ON INDEX %I.%I IS %L', n.nspname, ci.relname, d.description) END, "
            + "pg_get_indexdef(i.indexrelid) "
            + "FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_class ct ON ct.oid = i.indrelid "
            + "JOIN pg_namespace n ON n.oid = ci.relnamespace "
            + "LEFT JOIN pg_description d ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0 "
            + "WHERE " + Inventory.SYSTEM_SCHEMAS + " AND ct.relkind IN ('r', 'm', 'p') AND NOT ci.relispartition "
            + "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
            + "AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_class'::regclass AND dep.objid = i.indexrelid "
            + "AND dep.deptype IN ('e', 'i', 'I', 'P', 'S')) "
            + "ORDER BY 5 DESC, 2, 4";

    /** Reads what --drop-source-indexes would drop; changes nothing. */
    public static Found find(PgUrl source) {
        try (Connection conn = MoveConnections.open(source)) {
            return find(conn);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_MOVE, "Reading the indexes of " + source + " failed: " + e.getMessage(), e);
        }
    }

    static Found find(Connection conn) throws SQLException {
        Map<Long, String> fingerprints = new HashMap<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(CANDIDATES)) {
            while (rs.next()) {
                fingerprints.put(rs.getLong(1), rs.getString(9));
            }
        }
        List<Index> indexes = new ArrayList<>();
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try (Statement st = conn.createStatement()) {
            st.execute("SET LOCAL search_path = pg_catalog");
            try (ResultSet rs = st.executeQuery(CANDIDATES)) {
                while (rs.next()) {
                    List<String> extra = new ArrayList<>();
                    if (rs.getString(7) != null) {
                        extra.add(rs.getString(7));
                    }
                    if (rs.getString(8) != null) {
                        extra.add(rs.getString(8));
                    }
                    String def = rs.getString(9);
                    indexes.add(new Index(rs.getString(2), rs.getString(3), rs.getString(4), def,
                            fingerprints.getOrDefault(rs.getLong(1), def), rs.getLong(5), rs.getBoolean(6), List.copyOf(extra)));
                }
            }
        } finally {
            conn.rollback();
            conn.setAutoCommit(autoCommit);
        }
        int kept;
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_index i JOIN pg_class ci "
                + "ON ci.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ci.relnamespace WHERE " + Inventory.SYSTEM_SCHEMAS
                + " AND EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)")) {
            rs.next();
            kept = rs.getInt(1);
        }
        return new Found(List.copyOf(indexes), kept);
    }

    /** The file's text: what to run on the source to create the indexes again. */
    static String ddl(Found found, PgUrl source) {
        StringBuilder b = new StringBuilder();
        b.append("-- Indexes 'uplift db move --drop-source-indexes' dropped on ").append(source).append(" at ").append(Instant.now())
                .append(".\n-- To create them again on that database: psql -v ON_ERROR_STOP=1 -f ").append(FILE).append("\n\n");
        for (Index i : found.indexes()) {
            b.append("-- ").append(i.schema()).append('.').append(i.table()).append(": ").append(i.name()).append(", ")
                    .append(i.bytes()).append(" bytes\n");
            b.append(i.definition()).append(";\n");
            i.extra().forEach(x -> b.append(x).append(";\n"));
            b.append('\n');
        }
        if (found.indexes().isEmpty()) {
            b.append("-- (none: every index of the source backs a constraint)\n");
        }
        return b.toString();
    }

    /**
     * Records the DDL, then drops the indexes on the source in one transaction. Recorded first, and
     * in both places a later run relies on, so that no instant exists at which an index is gone from
     * the source and its definition from everywhere: {@code file} (the earlier content kept, the new
     * appended, written beside it, forced, renamed over it, the folder forced; readable by its owner
     * only) and the target's move records, which a resumed move reads to create the indexes (it finds
     * none left to drop on the source). Called before the move's snapshot: DROP INDEX waits for the
     * locks the copy holds.
     */
    static List<Index> recordAndDrop(Connection source, Connection target, Found found, Path file, PgUrl url)
            throws SQLException, IOException {
        Path absolute = file.toAbsolutePath();
        String earlier = Files.isRegularFile(absolute, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                ? Files.readString(absolute, StandardCharsets.UTF_8) : "";
        io.uplift.journal.DurableFiles.write(absolute, (earlier + ddl(found, url)).getBytes(StandardCharsets.UTF_8));
        remember(target, found.indexes());
        if (found.indexes().isEmpty()) {
            return List.of();
        }
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try (Statement st = source.createStatement()) {
            for (Index i : found.indexes()) {
                st.execute("DROP INDEX IF EXISTS " + i.qualifiedName());
            }
            source.commit();
        } catch (SQLException e) {
            source.rollback();
            throw e;
        } finally {
            source.setAutoCommit(autoCommit);
        }
        return found.indexes();
    }

    /**
     * Keeps the dropped indexes in the target's move records (with those of earlier runs of the
     * same move) and returns them all: what the target must get after post-data.
     */
    static List<Index> remember(Connection target, List<Index> droppedNow) throws SQLException {
        Set<Index> all = new LinkedHashSet<>(remembered(target));
        all.addAll(droppedNow);
        List<Index> list = List.copyOf(all);
        if (!droppedNow.isEmpty()) {
            try (PreparedStatement ps = target.prepareStatement("INSERT INTO " + MoveProgress.SCHEMA + ".info VALUES (?, ?) "
                    + "ON CONFLICT (key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, INFO_KEY);
                ps.setString(2, ExportManifest.JSON.writeValueAsString(list));
                ps.executeUpdate();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return list;
    }

    static List<Index> remembered(Connection target) throws SQLException {
        if (!MoveProgress.exists(target)) {
            return List.of();
        }
        try (PreparedStatement ps = target.prepareStatement("SELECT value FROM " + MoveProgress.SCHEMA + ".info WHERE key = ?")) {
            ps.setString(1, INFO_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return List.of();
                }
                return ExportManifest.JSON.readValue(rs.getString(1), new TypeReference<List<Index>>() { });
            } catch (IOException e) {
                throw new SQLException("unreadable record of dropped source indexes: " + e.getMessage(), e);
            }
        }
    }

    /** Creates the dropped indexes on the target (skipping any already there: a resumed move). */
    static void createOnTarget(Connection target, List<Index> indexes) throws SQLException {
        try (Statement st = target.createStatement()) {
            for (Index i : indexes) {
                st.execute(i.definition().replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX IF NOT EXISTS "));
                for (String x : i.extra()) {
                    st.execute(x);
                }
            }
        }
    }

    /** The DDL lines for the export's post-data.sql. */
    static List<String> statements(List<Index> indexes) {
        List<String> out = new ArrayList<>();
        for (Index i : indexes) {
            out.add(i.definition());
            out.addAll(i.extra());
        }
        return out;
    }
}
