package io.uplift.upgrade.crash;

import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.install.NodeLocalFiles;
import io.uplift.catalog.TreeHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Everything an upgrade may change in an installation, as named facets whose values compare with
 * equals: every table's rows (a checksum query), the schema's shape, the sequences, the database's
 * own settings (maintenance mode makes it read-only), Flyway's schema version, the program files,
 * the node data, the node-local files (content and modes) and the recorded state. Values that
 * differ on every run by nature (when a migration ran, how long it took, when the version was
 * recorded) are left out, and only those.
 */
record InstallationFingerprint(SortedMap<String, String> facets) {
    /** Columns whose values are times of the run, not content. */
    private static final Map<String, Set<String>> VOLATILE = Map.of(
            "flyway_schema_history", Set.of("installed_on", "execution_time"),
            "uplift_installation", Set.of("updated_at"));

    static final List<String> NODE_LOCAL = List.of("config/database.properties", "config/keyset.json");

    static InstallationFingerprint of(Path home) {
        SortedMap<String, String> f = new TreeMap<>();
        files(home, f);
        try (Connection c = connect(home)) {
            database(c, f);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fingerprint the database of " + home + ": " + e.getMessage(), e);
        }
        return new InstallationFingerprint(f);
    }

    /** The node-local files only: content hash and permissions. */
    static SortedMap<String, String> nodeLocal(Path home) {
        SortedMap<String, String> f = new TreeMap<>();
        for (String file : NODE_LOCAL) {
            Path p = home.resolve(file);
            try {
                f.put("node-local " + file, NodeLocalFiles.sha256(p).orElse("MISSING") + " "
                        + (Files.exists(p) ? PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) : "-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return f;
    }

    /** One line per facet that differs, with both values (long ones shortened). */
    List<String> differencesFrom(InstallationFingerprint expected) {
        List<String> out = new ArrayList<>();
        TreeMap<String, String> all = new TreeMap<>(expected.facets);
        all.putAll(facets);
        for (String key : all.keySet()) {
            String want = expected.facets.get(key);
            String got = facets.get(key);
            if (want == null ? got != null : !want.equals(got)) {
                out.add(key + ": expected " + shorten(want) + " but was " + shorten(got));
            }
        }
        return out;
    }

    private static void files(Path home, SortedMap<String, String> f) {
        f.put("files app/", TreeHash.of(home.resolve("app")));
        f.put("files data/", Files.isDirectory(home.resolve("data")) ? TreeHash.of(home.resolve("data")) : "MISSING");
        f.putAll(nodeLocal(home));
        f.put("files .uplift/maintenance", Files.exists(home.resolve(".uplift/maintenance")) ? "present" : "absent");
        InstallationState s = Installation.open(home).state();
        f.put("state version", s.version());
        f.put("state pendingTasks", s.pendingTasks().toString());
        f.put("state (whole)", s.toString());
    }

    private static Connection connect(Path home) {
        DatabaseSettings db = DatabaseSettings.read(home);
        return Jdbc.connect(db.url(), db.user(), db.password());
    }

    private static void database(Connection c, SortedMap<String, String> f) throws SQLException {
        f.put("db schema version", one(c, "SELECT coalesce(max(version), 'none') FROM (SELECT version FROM flyway_schema_history "
                + "WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1) v"));
        f.put("db settings (default_transaction_read_only etc.)", one(c, "SELECT coalesce(string_agg(array_to_string(s.setconfig, ','), ';'), '') "
                + "FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()"));
        f.put("db schema columns", one(c, "SELECT md5(coalesce(string_agg(x, '|' ORDER BY x), '')) FROM (SELECT concat_ws(':', table_name, "
                + "column_name, data_type, column_default, is_nullable) x FROM information_schema.columns WHERE table_schema = 'public') q"));
        f.put("db schema indexes", one(c, "SELECT md5(coalesce(string_agg(indexdef, '|' ORDER BY indexdef), '')) FROM pg_indexes "
                + "WHERE schemaname = 'public'"));
        f.put("db schema constraints", one(c, "SELECT md5(coalesce(string_agg(x, '|' ORDER BY x), '')) FROM (SELECT concat_ws(':', "
                + "conrelid::regclass::text, conname, pg_get_constraintdef(oid)) x FROM pg_constraint WHERE connamespace = 'public'::regnamespace) q"));
        f.put("db schema comments", one(c, "SELECT md5(coalesce(string_agg(x, '|' ORDER BY x), '')) FROM (SELECT concat_ws(':', cl.relname, "
                + "d.objsubid, d.description) x FROM pg_description d JOIN pg_class cl ON cl.oid = d.objoid AND d.classoid = 'pg_class'::regclass "
                + "WHERE cl.relnamespace = 'public'::regnamespace) q"));
        for (String seq : list(c, "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'")) {
            f.put("db sequence " + seq, one(c, "SELECT last_value || ' ' || is_called FROM public." + Jdbc.quoteIdentifier(seq)));
        }
        List<String> tables = list(c, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
        f.put("db tables", String.join(",", tables));
        for (String table : tables) {
            List<String> columns = list(c, "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '"
                    + table.replace("'", "''") + "'");
            columns.removeAll(VOLATILE.getOrDefault(table, Set.of()));
            String cols = String.join(", ", columns.stream().map(Jdbc::quoteIdentifier).toList());
            f.put("db rows " + table, one(c, "SELECT count(*) || ' rows, md5 ' || md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                    + "FROM (SELECT " + cols + " FROM public." + Jdbc.quoteIdentifier(table) + ") t"));
        }
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        }
    }

    private static List<String> list(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql + " ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String shorten(String s) {
        return s == null ? "(none)" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
