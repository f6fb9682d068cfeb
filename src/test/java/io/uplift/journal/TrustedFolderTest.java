package io.uplift.journal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.OsUser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folders root trusts: owned by root (or the trusted account) and writable by no one else, unless sticky. */
class TrustedFolderTest {
    private static final int NOBODY = 65534;

    @TempDir
    Path dir;
    Path folder;

    @BeforeEach
    void folder() throws Exception {
        assumeTrue(OsUser.runningAsRoot(), "changing a folder's owner needs root");
        folder = Files.createDirectories(dir.resolve("home"));
        Files.setAttribute(folder, "unix:mode", 0755);
    }

    private static void refused(Path dir, int trustedUid, String... parts) {
        var assertion = assertThatThrownBy(() -> TrustedFolder.require(dir, trustedUid))
                .isInstanceOfSatisfying(UpliftException.class, e -> org.assertj.core.api.Assertions.assertThat(e.code())
                        .isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining("Nothing was changed");
        for (String part : parts) {
            assertion.hasMessageContaining(part);
        }
    }

    @Test
    void aRootOwnedFolderOnlyRootMayWriteIsTrusted() {
        assertThatCode(() -> TrustedFolder.require(folder, 0)).doesNotThrowAnyException();
        assertThatCode(() -> TrustedFolder.require(folder)).doesNotThrowAnyException();
    }

    @Test
    void aFolderThatDoesNotExistYetIsLeftToItsCreator() {
        assertThatCode(() -> TrustedFolder.require(dir.resolve("not-yet"), 0)).doesNotThrowAnyException();
    }

    @Test
    void aFolderOfAnotherAccountIsRefusedNamingItsOwnerUidModeAndChown() throws Exception {
        Files.setAttribute(folder, "unix:uid", NOBODY);

        refused(folder, 0, "belongs to nobody (uid 65534), mode 0755", "chown root " + folder.toRealPath(), "run Uplift as nobody");
    }

    @Test
    void aFolderOfTheTrustedAccountItselfIsTrusted() throws Exception {
        Files.setAttribute(folder, "unix:uid", NOBODY);

        assertThatCode(() -> TrustedFolder.require(folder, NOBODY)).doesNotThrowAnyException();
    }

    @Test
    void aGroupWritableFolderIsRefusedNamingTheModeAndChmod() throws Exception {
        Files.setAttribute(folder, "unix:mode", 0775);

        refused(folder, 0, "other accounts may write it (owner root, mode 0775)", "chmod go-w " + folder.toRealPath());
    }

    @Test
    void aStickyWorldWritableFolderIsTrustedOnlyWhenRootOwnsIt() throws Exception {
        Files.setAttribute(folder, "unix:mode", 01777);
        assertThatCode(() -> TrustedFolder.require(folder, 0)).doesNotThrowAnyException();

        Files.setAttribute(folder, "unix:uid", NOBODY);
        refused(folder, 0, "belongs to nobody");
    }

    @Test
    void aLinkAtTheUpliftFolderIsRefusedButALinkedHomeIsJudgedByItsTarget() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real-uplift"));
        Path uplift = folder.resolve(".uplift");
        Files.createSymbolicLink(uplift, real);
        Path linkedHome = Files.createSymbolicLink(dir.resolve("linked-home"), folder);

        refused(uplift, 0, "it is a symbolic link (to " + real + ")", "rm " + uplift);
        assertThatCode(() -> TrustedFolder.require(linkedHome, 0)).doesNotThrowAnyException();

        Files.setAttribute(folder, "unix:mode", 0777);
        refused(linkedHome, 0, "refuses the folder " + folder.toRealPath(), "mode 0777");
    }
}
