package io.uplift.backup;

import io.uplift.cluster.ClusterSchema;

import io.uplift.db.DatabaseTarget;
import io.uplift.db.ToolRun;
import io.uplift.db.PgTools;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the product database's content exactly what a dump holds, in two phases that can each be
 * repeated: (1) in one transaction, drop everything the product user owns in the database; (2)
 * {@code pg_restore --single-transaction --exit-on-error --no-owner}. A kill during (1) or (2) rolls
 * that phase back; the next call runs both again and ends in the same state.
 *
 * <p>Why not {@code DROP OWNED BY CURRENT_USER}: it also revokes the user's privileges elsewhere, and
 * drops objects the user owns in schemas that are not the product's. Why not {@code pg_restore
 * --clean}: it drops only what the dump holds, so a table created after the backup would stay.
 * Instead: schemas the user owns are dropped whole (the dump creates them again); in other schemas,
 * {@code public} among them, the user's own tables, views, sequences, routines, types and extensions
 * are dropped one by one. {@code public} itself is never dropped: its owner is the bootstrap superuser
 * before PostgreSQL 15 and pg_database_owner since, and pg_dump does not create it again.
 */
final class DatabaseRestore {
    private static final Duration RESTORE_TIMEOUT = Duration.ofHours(48);
    private static final String ME = "current_user::regrole::oid";
    private static final String NOT_EXTENSION_MEMBER = " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = %s"
            + " AND d.classid = '%s'::regclass AND d.deptype = 'e')";
    /** The schemas a restore empties: not the system's, and not the cluster's coordination, which backups leave out. */
    private static final String USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema', '" + ClusterSchema.SCHEMA + "')"
            + " AND n.nspname NOT LIKE 'pg\\_%'";

    private DatabaseRestore() {}

    static void restore(PgTools tools, Path dump, DatabaseSettings db) {
        dropProductObjects(db);
        DatabaseTarget target = DatabaseTarget.of(db.url(), db.user(), db.password(), ErrorCode.BACKUP_FAILED, "config/database.properties");
        List<String> command = new ArrayList<>(List.of(tools.pgRestore().toString(), "--single-transaction", "--exit-on-error",
                "--no-owner"));
        command.addAll(target.connectionArgs());
        command.add(dump.toString());
        ToolRun.Result r = ToolRun.run(command, target.environment(), line -> { }, RESTORE_TIMEOUT, ErrorCode.BACKUP_FAILED);
        if (r.exitCode() != 0) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "pg_restore into the " + target + " failed (exit code " + r.exitCode()
                    + "):\n" + r.stderrTail() + "\nThe restore ran in one transaction, so nothing of it remains; the database is"
                    + " empty of the product's objects. Fix the cause above and run the restore again.");
        }
        analyze(db);
    }

    private static void dropProductObjects(DatabaseSettings db) {
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password())) {
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                // A product still connected holds locks; fail clearly instead of waiting for ever.
                st.execute("SET LOCAL lock_timeout = '60s'");
                for (String sql : dropStatements(st)) {
                    st.execute(sql);
                }
                conn.commit();
            } catch (SQLException e) {
                conn.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "Could not empty the database " + db.url() + " before restoring it: "
                    + e.getMessage() + " (SQLSTATE " + e.getSQLState() + "). Nothing was dropped. If a lock timed out, stop the"
                    + " product's services (they still use the database) and run the restore again.", e);
        }
    }

    private static List<String> dropStatements(Statement st) throws SQLException {
        int major;
        try (ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rs.next();
            major = rs.getInt(1);
        }
        String routineKind = major >= 11
                ? "CASE p.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END"
                : "CASE WHEN p.proisagg THEN 'AGGREGATE' ELSE 'FUNCTION' END";
        String ownedSchema = "n.nspowner = " + ME + " AND n.nspname <> 'public'";
        List<String> queries = List.of(
                "SELECT format('DROP SCHEMA IF EXISTS %I CASCADE', n.nspname) FROM pg_namespace n WHERE " + USER_SCHEMA + " AND " + ownedSchema,
                "SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'"
                        + " WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, n.nspname, c.relname)"
                        + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMA + " AND NOT (" + ownedSchema + ")"
                        + " AND c.relowner = " + ME + " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
                        + String.format(NOT_EXTENSION_MEMBER, "c.oid", "pg_class"),
                "SELECT format('DROP %s IF EXISTS %I.%I(%s) CASCADE', " + routineKind + ", n.nspname, p.proname,"
                        + " pg_get_function_identity_arguments(p.oid)) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                        + " WHERE " + USER_SCHEMA + " AND NOT (" + ownedSchema + ") AND p.proowner = " + ME
                        + String.format(NOT_EXTENSION_MEMBER, "p.oid", "pg_proc"),
                "SELECT format('DROP %s IF EXISTS %I.%I CASCADE', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, n.nspname, t.typname)"
                        + " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE " + USER_SCHEMA + " AND NOT (" + ownedSchema + ")"
                        + " AND t.typowner = " + ME + " AND (t.typtype IN ('d', 'e', 'r')"
                        + " OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))"
                        + String.format(NOT_EXTENSION_MEMBER, "t.oid", "pg_type"),
                "SELECT format('DROP EXTENSION IF EXISTS %I CASCADE', e.extname) FROM pg_extension e WHERE e.extowner = " + ME);
        List<String> statements = new ArrayList<>();
        for (String q : queries) {
            try (ResultSet rs = st.executeQuery(q)) {
                while (rs.next()) {
                    statements.add(rs.getString(1));
                }
            }
        }
        return statements;
    }

    // pg_restore brings rows back but no planner statistics; without them the product's queries may crawl.
    private static void analyze(DatabaseSettings db) {
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password()); Statement st = conn.createStatement()) {
            st.execute("ANALYZE");
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "The database " + db.url() + " was restored, but ANALYZE failed: "
                    + e.getMessage() + ". The content is complete; run ANALYZE on it by hand.", e);
        }
    }
}
