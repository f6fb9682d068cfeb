package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.api.BackupManifest.Entry;
import io.uplift.db.Jdbc;
import io.uplift.db.OsUser;
import io.uplift.db.PgBinaries;
import io.uplift.db.PgServer;
import io.uplift.install.DatabaseSettings;
import java.io.IOException;
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
import java.util.TreeMap;

/**
 * Proves that a data-folder copy is a working database: the copy is copied once more (the backup's
 * own files must stay as they were: a server writes into its folder), a server of the same PostgreSQL
 * version is started on it, as the server's OS user on a free loopback port, and the product's tables
 * are counted through the product's own login (from the backup's config/database.properties).
 * A server that starts and answers outside recovery has reached a consistent state.
 *
 * <p>The scratch folder goes beside {@code near} (the live server's data folder, which the server's
 * OS user can reach by construction), and is always deleted.
 */
final class ThrowawayServer {
    private ThrowawayServer() {}

    /** Rows per table ("schema.table") of the copy in {@code backupFolder}; BACKUP_FAILED if it does not start or read. */
    static Map<String, Long> countRows(Path backupFolder, List<Entry> entries, int major, String osUser, String databaseName, Path near) {
        Path scratch = null;
        PgServer server = null;
        try {
            Path parent = near != null && Files.isDirectory(near.getParent()) ? near.getParent() : Path.of(System.getProperty("java.io.tmpdir"));
            scratch = Files.createTempDirectory(parent, ".uplift-verify-");
            // Root's temporary folder is private; the server's user must be able to pass through it (not list it).
            Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwx--x--x"));
            Path dataDir = scratch.resolve("pg" + major);
            FolderRestore.copyVerified(backupFolder, entries, BackupManifest.DATABASE_FOLDER, dataDir);
            server = new PgServer(PgBinaries.forMajor(major), dataDir, 0, OsUser.serverUser(osUser));
            server.stopOnJvmExit();
            server.start();
            DatabaseSettings login = DatabaseSettings.read(backupFolder);
            return count(server.jdbcUrl(databaseName), login);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Could not prepare a scratch copy of the backed-up data folder"
                    + (scratch == null ? "" : " in " + scratch) + ": " + e + ". Check the free space and permissions there.", e);
        } catch (UpliftException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "A PostgreSQL " + major + " server started on a copy of the backed-up"
                    + " data folder did not come up or could not be read: " + e.getMessage() + " Do not rely on this backup.", e);
        } finally {
            if (server != null) {
                try {
                    server.stop();
                } catch (UpliftException e) {
                    // Reported by the JVM-exit hook too; the scratch folder stays for the operator to look at.
                }
            }
            if (scratch != null && (server == null || !server.isRunning())) {
                try {
                    BackupStore.deleteTree(scratch);
                } catch (IOException e) {
                    // Named nowhere else; a leftover .uplift-verify-* folder is safe to delete by hand.
                }
            }
        }
    }

    private static Map<String, Long> count(String url, DatabaseSettings login) {
        try (Connection conn = Jdbc.connect(url, login.user(), login.password()); Statement st = conn.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    throw new UpliftException(ErrorCode.BACKUP_FAILED, "the server on the copy is still in recovery");
                }
            }
            List<String[]> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                    + " AND n.nspname NOT LIKE 'pg\\_%' AND has_table_privilege(c.oid, 'SELECT')")) {
                while (rs.next()) {
                    tables.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            Map<String, Long> rows = new TreeMap<>();
            for (String[] t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Jdbc.quoteIdentifier(t[0]) + "." + Jdbc.quoteIdentifier(t[1]))) {
                    rs.next();
                    rows.put(t[0] + "." + t[1], rs.getLong(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "reading the product's tables on the copy failed: " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ").", e);
        }
    }
}
