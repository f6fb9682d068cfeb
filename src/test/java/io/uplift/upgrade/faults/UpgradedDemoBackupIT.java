package io.uplift.upgrade.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.db.PgTools;
import io.uplift.testsupport.UpliftJvm;
import java.nio.file.Path;
import java.util.Optional;
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
}
