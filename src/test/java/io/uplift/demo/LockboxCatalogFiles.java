package io.uplift.demo;

import io.uplift.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.yaml.snakeyaml.Yaml;

/** The Lockbox example catalog as the tests use it: migrations per release, post-upgrade task SQL. */
final class LockboxCatalogFiles {
    static final List<String> RELEASES = List.of("1.0", "1.1", "2.0", "2.1", "3.0");

    private LockboxCatalogFiles() {
    }

    static Path releases() {
        return Path.of(System.getProperty("uplift.distribution", ".")).resolve("examples/lockbox/catalog/releases");
    }

    /**
     * Migrates to {@code release} the way one upgrade hop does: Flyway over the migration folders of
     * every release up to it, stopping at that release's last migration.
     */
    static void migrateTo(TestPostgres.Database db, String release) throws Exception {
        int last = RELEASES.indexOf(release);
        String[] locations = RELEASES.subList(0, last + 1).stream()
                .map(r -> "filesystem:" + releases().resolve(r).resolve("migrations"))
                .toArray(String[]::new);
        Flyway.configure()
                .dataSource(db.jdbcUrl(), db.user(), db.password())
                .locations(locations)
                .target(lastMigrationVersion(release))
                .load()
                .migrate();
    }

    /** V2_0_0_003__token_format_v2.sql gives 2.0.0.003. */
    static String lastMigrationVersion(String release) throws Exception {
        try (var files = Files.list(releases().resolve(release).resolve("migrations"))) {
            String name = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V[0-9_]+__.*\\.sql"))
                    .sorted().reduce((a, b) -> b).orElseThrow();
            return name.substring(1, name.indexOf("__")).replace('_', '.');
        }
    }

    @SuppressWarnings("unchecked")
    static String taskSql(String release, String taskId) throws Exception {
        Map<String, Object> yaml = new Yaml().load(Files.readString(releases().resolve(release).resolve("release.yaml")));
        return ((List<Map<String, Object>>) yaml.get("post-upgrade-tasks")).stream()
                .filter(task -> taskId.equals(task.get("id")))
                .map(task -> (String) task.get("sql"))
                .findFirst().orElseThrow();
    }

    static Connection connect(TestPostgres.Database db) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }
}
