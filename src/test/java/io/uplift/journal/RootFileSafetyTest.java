package io.uplift.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.OsUser;
import io.uplift.install.Installation;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13, item 11: as root, Uplift never writes through a planted link nor trusts a home others can write. */
class RootFileSafetyTest {
    @TempDir
    Path dir;
    Path home;
    Path victim;

    @BeforeEach
    void homeAndVictim() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(OsUser.runningAsRoot(), "the refusals concern a root-run Uplift");
        home = dir.resolve("home");
        Files.createDirectories(home.resolve(".uplift"));
        Files.writeString(home.resolve(".uplift/state.json"), "{\"product\":\"lockbox\",\"version\":\"1.0\",\"nodeLocalFiles\":{},\"pendingTasks\":[]}");
        victim = dir.resolve("victim");
        Files.writeString(victim, "precious\n");
    }

    @Test
    void issue13_item11_aLinkPlantedAtTheLockFileIsNotFollowed() throws Exception {
        Path lock = home.resolve(".uplift/lock");
        Files.createSymbolicLink(lock, victim);

        assertThatThrownBy(() -> HomeLock.tryAcquire(lock, "uplift upgrade"))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining(lock + " is a symbolic link").hasMessageContaining("rm " + lock);

        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(Files.isSymbolicLink(lock)).isTrue();
        assertThat(HomeLock.holder(lock)).as("a planted link is no holder").isEmpty();
    }

    @Test
    void issue13_item11_aHomeEveryoneMayWriteIsRefusedAsRootNamingItsOwnerModeAndTheFix() throws Exception {
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> Installation.open(home))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code().exitCode()).isEqualTo(12))
                .hasMessageContaining(home.toRealPath().toString()).hasMessageContaining("owner root").hasMessageContaining("mode 0777")
                .hasMessageContaining("chmod go-w " + home.toRealPath());
        assertThatThrownBy(() -> HomeLock.tryAcquire(home.resolve(".uplift/lock"), "uplift upgrade"))
                .hasMessageContaining("chmod go-w");
        assertThat(home.resolve(".uplift/lock")).doesNotExist();
    }

    @Test
    void issue13_item11_anUpliftFolderOwnedByAnotherAccountIsRefusedNamingTheOwnerAndChown() throws Exception {
        Files.setAttribute(home.resolve(".uplift"), "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);

        assertThatThrownBy(() -> Installation.open(home))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code().exitCode()).isEqualTo(12))
                .hasMessageContaining("belongs to nobody (uid 65534)").hasMessageContaining("chown root " + home.resolve(".uplift").toRealPath());
    }

    @Test
    void aRootOwnedStickyFolderAndAPrivateHomeAreAccepted() throws Exception {
        Files.setAttribute(home, "unix:mode", 01777);
        Files.setPosixFilePermissions(home.resolve(".uplift"), PosixFilePermissions.fromString("rwx------"));

        Optional<HomeLock> lock = HomeLock.tryAcquire(home.resolve(".uplift/lock"), "uplift upgrade");

        assertThat(lock).isPresent();
        lock.get().close();
        assertThat(Installation.open(home).state().version()).isEqualTo("1.0");
    }
}
