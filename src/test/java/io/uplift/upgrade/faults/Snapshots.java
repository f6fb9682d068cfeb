package io.uplift.upgrade.faults;

import io.uplift.install.NodeLocalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What "nothing changed" is compared by: the files of a home and the content of its database. */
final class Snapshots {
    /**
     * The lock file: every changing command opens (and creates) it to take the OS lock, and writes
     * who holds it; it is never deleted, since deleting a lock file races with the next taker.
     */
    static final String LOCK_FILE = ".uplift/lock";
    /**
     * The upgrade log: a report every upgrade, resume and rollback appends to once it holds the lock,
     * a run refused before any change too ("stopped (exit 4): ..."), so that the console can say why.
     */
    static final String UPGRADE_LOG = ".uplift/upgrade.log";

    private Snapshots() {}

    /**
     * Every file and folder of the home with its SHA-256, except db/ (the running server writes
     * there) and, when {@code withLockAndLog} is false, the lock file and the upgrade log.
     */
    static Map<String, String> home(Path home, boolean withLockAndLog) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(home)) {
            for (Path p : walk.toList()) {
                String rel = home.relativize(p).toString();
                if (rel.equals("db") || rel.startsWith("db/") || (!withLockAndLog && (rel.equals(LOCK_FILE) || rel.equals(UPGRADE_LOG)))) {
                    continue;
                }
                files.put(rel, Files.isDirectory(p) ? "dir" : NodeLocalFiles.sha256(p).orElse("unreadable"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The bytes of the node-local files, which no upgrade, resume or rollback may change. */
    static Map<String, String> nodeLocalFiles(Path home) {
        Map<String, String> files = new TreeMap<>();
        for (String f : List.of("config/database.properties", "config/keyset.json")) {
            try {
                files.put(f, new String(Files.readAllBytes(home.resolve(f)), java.nio.charset.StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /**
     * Per table of the public schema, an MD5 over all its rows in a fixed order; also the
     * database's own settings (maintenance mode sets one) under "@settings".
     */
    static Map<String, String> database(String url, Properties credentials) {
        Map<String, String> tables = new TreeMap<>();
        Properties p = new Properties();
        p.setProperty("user", credentials.getProperty("user"));
        p.setProperty("password", credentials.getProperty("password"));
        try (Connection conn = DriverManager.getConnection(url, p); Statement st = conn.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            // uplift_nodes is the node gate's registry: a running product writes its heartbeat there at any
            // time, maintenance included, by design; it is not the product's data a rollback must restore.
            names.remove("uplift_nodes");
            for (String name : names) {
                String quoted = "\"" + name.replace("\"", "\"\"") + "\"";
                try (ResultSet rs = st.executeQuery("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM "
                        + quoted + " t")) {
                    rs.next();
                    tables.put(name, rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT coalesce(string_agg(array_to_string(s.setconfig, ','), ';'), '') "
                    + "FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()")) {
                rs.next();
                tables.put("@settings", rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database " + url + ": " + e.getMessage(), e);
        }
        return tables;
    }

    /** The newest applied schema version, from Flyway's history table. */
    static String schemaVersion(String url, Properties credentials) {
        Properties p = new Properties();
        p.setProperty("user", credentials.getProperty("user"));
        p.setProperty("password", credentials.getProperty("password"));
        try (Connection conn = DriverManager.getConnection(url, p); Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL "
                        + "ORDER BY installed_rank DESC LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schema version in " + url + ": " + e.getMessage(), e);
        }
    }
}
