package io.uplift.backup;

import io.uplift.cluster.ClusterSchema;

import io.uplift.db.DatabaseTarget;
import io.uplift.db.ToolRun;
import io.uplift.db.PgTools;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseProbe;
import io.uplift.install.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database part of a backup: {@code pg_dump -Fc} of the product database, connecting as the
 * product's own user (it owns its database and every object in it, so it can read all of it).
 * pg_dump reads everything in one repeatable-read transaction, so the dump is one consistent
 * snapshot even if something writes meanwhile.
 *
 * <p>Progress: pg_dump --verbose names each table as it starts dumping its rows; each table's size
 * on disk, read beforehand, tells how far that is.
 */
final class DatabaseDump {
    /** What the server looked like when it was dumped. */
    record Server(int major, String version, long sizeBytes, String schemaVersion, String databaseName, Map<String, Long> tableBytes) {
        long totalTableBytes() {
            return tableBytes.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static final Pattern TABLE_START = Pattern.compile("dumping contents of table \"(.+)\"");
    private static final Duration TIMEOUT = Duration.ofHours(48);

    private DatabaseDump() {}

    static Server inspect(DatabaseSettings settings) {
        try (Connection conn = Jdbc.connect(settings.url(), settings.user(), settings.password());
             Statement st = conn.createStatement()) {
            DatabaseProbe probe = DatabaseProbe.of(conn);
            String name;
            try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
                rs.next();
                name = rs.getString(1);
            }
            Map<String, Long> tables = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT n.nspname || '.' || c.relname, pg_table_size(c.oid) FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'm')"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'")) {
                while (rs.next()) {
                    tables.put(rs.getString(1), rs.getLong(2));
                }
            }
            return new Server(probe.major().orElseThrow(), probe.serverVersion(), probe.sizeBytes(),
                    probe.schemaVersion().orElse(null), name, Map.copyOf(tables));
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Could not read the size and version of the database " + settings.url()
                    + ": " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + "). Nothing was written.", e);
        }
    }

    /** Dumps into {@code file}; reports progress as bytes of table data done, out of {@code server.totalTableBytes()}. */
    static void dump(PgTools tools, DatabaseSettings settings, Server server, Path file, LongConsumer tableBytesDone) {
        tools.requireCanDump(server.major());
        DatabaseTarget target = DatabaseTarget.of(settings.url(), settings.user(), settings.password(), ErrorCode.BACKUP_FAILED, "config/database.properties");
        // The cluster's coordination is not the product's data: a rollback must not put it back in time
        // (see ClusterSchema.SCHEMA); the restore leaves that schema alone too.
        List<String> command = new java.util.ArrayList<>(List.of(tools.pgDump().toString(), "--format=custom", "--verbose",
                "--exclude-schema=" + ClusterSchema.SCHEMA, "--file=" + file));
        command.addAll(target.connectionArgs());
        long[] done = {0};
        String[] current = {null};
        ToolRun.Result r = ToolRun.run(command, target.environment(), line -> {
            Matcher m = TABLE_START.matcher(line);
            if (m.find()) {
                if (current[0] != null) {
                    done[0] += server.tableBytes().getOrDefault(current[0], 0L);
                    tableBytesDone.accept(done[0]);
                }
                current[0] = m.group(1);
            }
        }, TIMEOUT, ErrorCode.BACKUP_FAILED);
        if (r.exitCode() != 0) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "pg_dump of the " + target + " failed (exit code " + r.exitCode()
                    + "):\n" + r.stderrTail() + "\nNothing of the installation was changed. Fix the cause above and run the backup again.");
        }
        tableBytesDone.accept(server.totalTableBytes());
    }
}
