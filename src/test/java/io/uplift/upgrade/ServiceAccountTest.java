package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.db.OsUser;
import io.uplift.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Issue 13, item 14: the product's service commands run as services.account, never as root. */
class ServiceAccountTest {
    @Test
    void issue13_item14_aServiceCommandRunByRootRunsAsTheServiceAccount() throws Exception {
        Assumptions.assumeTrue(OsUser.runningAsRoot(), "switching accounts needs root");
        Path dir = TestPostgres.newTraversableTempDir();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path seen = dir.resolve("started-as");

        List<String> command = ServiceAccount.commandFor(Optional.of("nobody"), List.of("/bin/sh", "-c", "id -un > " + seen));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();

        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        assertThat(Files.readString(seen).strip()).isEqualTo("nobody");
        assertThat(Files.getOwner(seen).getName()).isEqualTo("nobody");
    }

    @Test
    void withoutAnAccountTheCommandRunsUnchanged() {
        assertThat(ServiceAccount.commandFor(Optional.empty(), List.of("app/bin/lockbox", "start")))
                .containsExactly("app/bin/lockbox", "start");
        assertThat(ServiceAccount.commandFor(Optional.of(System.getProperty("user.name")), List.of("app/bin/lockbox", "stop")))
                .containsExactly("app/bin/lockbox", "stop");
    }
}
