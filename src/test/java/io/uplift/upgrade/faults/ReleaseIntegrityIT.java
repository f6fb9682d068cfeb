package io.uplift.upgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.testsupport.ShippedCatalog;
import io.uplift.testsupport.TestPostgres;
import io.uplift.testsupport.UpliftJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 14, end to end with real Lockbox installations and child JVMs: a migration that no
 * longer matches the catalog is refused before anything changes, and the product's services are
 * stopped and started as services.account, not as root.
 */
class ReleaseIntegrityIT {
    @AfterAll
    static void stopEveryDemoServer() {
        Demo.stopAll();
    }

    @Test
    void issue13_item14_aMigrationChangedAfterTheCatalogWasWrittenRefusesTheUpgradeWithExit19AndChangesNothing() {
        Demo demo = Demo.prepare();
        Path catalog = ShippedCatalog.copy(c -> Files.writeString(c.resolve("releases/1.1/migrations/V1_1_0_001__index_secret_owners.sql"),
                "DROP TABLE secrets;\n"));
        Properties db = demo.databaseProperties();
        Map<String, String> home = Snapshots.home(demo.home, false);
        Map<String, String> database = Snapshots.database(db.getProperty("url"), db);

        UpliftJvm.Result r = demo.run(demo.args(Optional.of(catalog), "upgrade", "--to", "1.1", "--yes"));

        assertThat(r.exit()).as(r.toString()).isEqualTo(19);
        assertThat(r.err()).contains("The migrations of release 1.1 (" + catalog.resolve("releases/1.1/migrations") + ")")
                .contains("do not match migrations-sha256 in " + catalog.resolve("releases/1.1/release.yaml"))
                .contains("Nothing was run");
        assertThat(Files.exists(demo.journalFile())).as("no journal").isFalse();
        assertThat(Snapshots.home(demo.home, false)).as("every file of the home").isEqualTo(home);
        assertThat(Snapshots.database(db.getProperty("url"), db)).as("every table of the database").isEqualTo(database);
    }

    @Test
    void issue13_item14_theServicesAreStoppedAndStartedAsTheServiceAccount() throws Exception {
        Demo demo = Demo.prepare();
        Path seen = TestPostgres.newTraversableTempDir().resolve("seen");
        Files.createDirectories(seen);
        Files.setPosixFilePermissions(seen, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path catalog = ShippedCatalog.copy(c -> {
            Path product = c.resolve("product.yaml");
            String yaml = Files.readString(product).replaceAll("(?ms)^services:.*?(?=^tokens:)", """
                    services:
                      account: nobody
                      stop: [/bin/sh, -c, "id -un > %1$s/stop"]
                      start: [/bin/sh, -c, "id -un > %1$s/start"]
                      status: [/bin/sh, -c, "id -un > %1$s/status"]
                    """.formatted(seen));
            assertThat(yaml).contains("account: nobody");
            Files.writeString(product, yaml);
        });

        UpliftJvm.Result r = demo.run(demo.args(Optional.of(catalog), "upgrade", "--to", "1.1", "--yes"));

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Files.readString(seen.resolve("status")).strip()).isEqualTo("nobody");
        assertThat(Files.readString(seen.resolve("stop")).strip()).isEqualTo("nobody");
        assertThat(Files.readString(seen.resolve("start")).strip()).isEqualTo("nobody");
    }
}
