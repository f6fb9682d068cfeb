package io.uplift.upgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.db.PgTools;
import io.uplift.testsupport.UpliftJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 6: after the demo's upgrade to 3.0 its database runs on PostgreSQL 16, newer than the
 * machine's pg_dump (Debian 12: 15). It must still be backed up (every later upgrade starts with a
 * backup), by copying the managed server's data folder, and that backup must verify.
 */
class UpgradedDemoBackupIT {
    private static final Optional<Path> SHIPPED_CATALOG = Optional.empty();

    @AfterAll
    static void stopEveryDemoServer() {
        Demo.stopAll();
    }

    @Test
    void issue13_item6_aDemoUpgradedToPostgres16IsBackedUpAndVerifiedThoughPgDumpIsOlderThanTheServer() {
        assertThat(PgTools.locate(Optional.empty()).major()).as("the machine's pg_dump cannot dump PostgreSQL 16").isLessThan(16);
        Demo demo = Demo.prepare();
        UpliftJvm.Result upgrade = demo.run(demo.args(SHIPPED_CATALOG, "upgrade", "--to", "3.0", "--yes"));
        assertThat(upgrade.exit()).as(upgrade.toString()).isZero();
        assertThat(demo.status(SHIPPED_CATALOG).toString()).contains("3.0");

        Path backups = demo.home.resolveSibling("backups-after-upgrade");
        UpliftJvm.Result backup = demo.run(demo.args(SHIPPED_CATALOG, "backup", "--backup-dir", backups.toString()));
        assertThat(backup.exit()).as(backup.toString()).isZero();
        assertThat(backup.out()).contains("on PostgreSQL 16", "data folder", "lockbox-3.0");
        Matcher id = Pattern.compile("Backup (\\S+) written and verified").matcher(backup.out());
        assertThat(id.find()).as(backup.out()).isTrue();

        UpliftJvm.Result verify = demo.run(demo.args(SHIPPED_CATALOG, "backup", "--backup-dir", backups.toString(), "--verify", id.group(1)));
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("Backup " + id.group(1) + " is intact");

        UpliftJvm.Result status = demo.run(demo.args(SHIPPED_CATALOG, "status"));
        assertThat(status.exit()).as("the product database runs again after the copy: " + status).isZero();
    }

    /**
     * A catalog with a release 3.1 after 3.0 (3.0's program files, one migration that changes rows, no
     * database move): upgrading an installation already on PostgreSQL 16 to it starts with a data-folder
     * backup, and rolling that upgrade back puts the database back exactly.
     */
    private static Path catalogWithThreeOne() {
        return Demo.catalogCopy(c -> {
            try {
                Path from = c.resolve("releases/3.0");
                Path to = c.resolve("releases/3.1");
                try (Stream<Path> walk = Files.walk(from.resolve("app"))) {
                    for (Path p : walk.toList()) {
                        Path target = to.resolve(from.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    }
                }
                Files.createDirectories(to.resolve("migrations"));
                Demo.write(to.resolve("migrations/V3_1_0_001__mark_users.sql"), "UPDATE users SET email = email || '.v31';\n");
                String release = Files.readString(from.resolve("release.yaml"))
                        .replace("version: \"3.0\"", "version: \"3.1\"")
                        .replace("upgrade-from: \">=2.1\"", "upgrade-from: \">=3.0\"")
                        .replace("  move-database-to: 16\n", "")
                        .replace("key-rotation-required: true", "key-rotation-required: false");
                int obsolete = release.indexOf("obsolete-dependencies:");
                Demo.write(to.resolve("release.yaml"), obsolete < 0 ? release : release.substring(0, obsolete));
                Demo.reseal(c, "3.1");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void issue13_item6_rollingBackAnUpgradeOfAPostgres16InstallationRestoresItsDataFolderCopyExactly() throws Exception {
        Optional<Path> catalog = Optional.of(catalogWithThreeOne());
        Demo demo = Demo.prepare();
        UpliftJvm.Result toThree = demo.run(demo.args(catalog, "upgrade", "--to", "3.0", "--yes"));
        assertThat(toThree.exit()).as(toThree.toString()).isZero();
        Properties db = demo.databaseProperties();
        Map<String, String> before = Snapshots.database(db.getProperty("url"), db);

        UpliftJvm upgrade = UpliftJvm.start(demo.work, Map.of("UPLIFT_TEST_HOLD_AT", "3.1/record-version:after"),
                demo.args(catalog, "upgrade", "--to", "3.1", "--yes"));
        try {
            upgrade.awaitWhileRunning("the hold point", Duration.ofMinutes(3),
                    () -> upgrade.err().contains("uplift-test-hold 3.1/record-version:after"));
            assertThat(Snapshots.database(db.getProperty("url"), db)).as("the migration ran").isNotEqualTo(before);
        } finally {
            upgrade.kill();
        }
        String backupId = demo.journal().orElseThrow().get("backupId").asText();
        String manifest = Files.readString(demo.home.resolve(".uplift/backups").resolve(backupId).resolve("manifest.json"));
        assertThat(manifest).contains("\"databaseCopy\" : \"data-folder\"");

        UpliftJvm.Result rolledBack = demo.run(demo.args(catalog, "rollback", "--yes"));

        assertThat(rolledBack.exit()).as(rolledBack.toString()).isZero();
        assertThat(Snapshots.database(db.getProperty("url"), db)).as("database after rollback").isEqualTo(before);
        assertThat(demo.status(catalog).at("/installedVersion").asText()).isEqualTo("3.0");
    }
}
