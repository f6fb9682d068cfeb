package io.uplift.install;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.catalog.Version;
import io.uplift.db.Jdbc;
import io.uplift.db.MaintenanceWriter;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies the schema migrations of the releases up to one version with Flyway. Flyway keeps its own
 * history table, so running this again after an interruption applies only what is missing.
 */
public final class SchemaMigrations {
    private SchemaMigrations() {}

    /**
     * Migrates the database to {@code version}'s schema; returns how many migrations ran. A rolling
     * release's folder holds both its expand and its contract migrations (Flyway reads the folder's
     * subfolders), so this is the whole change: an upgrade of one node, or a rolling upgrade's finalize.
     */
    public static int migrateTo(Catalog catalog, Version version, DatabaseSettings db) {
        return migrate(catalog, version, db, false);
    }

    /**
     * Migrates to {@code version}'s schema without its contract migrations: what a rolling upgrade
     * runs while nodes of the previous release still serve. Releases before it are applied whole.
     */
    public static int expandTo(Catalog catalog, Version version, DatabaseSettings db) {
        return migrate(catalog, version, db, true);
    }

    private static int migrate(Catalog catalog, Version version, DatabaseSettings db, boolean expandOnly) {
        String[] locations = catalog.releases().headMap(version, true).values().stream()
                .map(r -> expandOnly && r.version().equals(version) ? r.expandMigrations().orElse(r.migrations()) : r.migrations())
                .filter(dir -> dir != null)
                .map(dir -> "filesystem:" + dir)
                .toArray(String[]::new);
        if (locations.length == 0) {
            return 0;
        }
        try (SingleConnectionDataSource one = new SingleConnectionDataSource(Jdbc.connect(db.url(), db.user(), db.password()))) {
            MigrateResult result = Flyway.configure()
                    .dataSource(one)
                    .locations(locations)
                    .loggers(QuietFlywayLog.class.getName())
                    // All pending migrations in one transaction: a crash or a cut connection leaves
                    // none of them applied, and the next run starts the group again.
                    .group(true)
                    // Maintenance mode makes the database read-only for everyone else, and its guard refuses their changes.
                    .initSql(MaintenanceWriter.SESSION_SQL)
                    .load()
                    .migrate();
            return result.migrationsExecuted;
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Closing the migration connection to " + db.url()
                    + " failed: " + e.getMessage(), e);
        } catch (FlywayException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "The schema migrations up to " + version
                    + " failed on " + db.url() + ": " + e.getMessage(), e);
        }
    }
}
