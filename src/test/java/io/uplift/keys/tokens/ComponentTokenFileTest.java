package io.uplift.keys.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.UpliftException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The component's token file: written whole, 0600, never through a link, never outside the home. */
class ComponentTokenFileTest {
    @TempDir
    Path home;

    @Test
    void replacesTheTokenWithAFileOnlyTheOwnerReads() throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/app-token"), "lbx1_old\n");
        Files.setPosixFilePermissions(home.resolve("config/app-token"), PosixFilePermissions.fromString("rw-r--r--"));
        ComponentTokenFile file = new ComponentTokenFile(home, "config/app-token");
        assertThat(file.read()).contains("lbx1_old");

        file.write("lbx2_new");

        assertThat(Files.readString(home.resolve("config/app-token"), StandardCharsets.UTF_8)).isEqualTo("lbx2_new\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("config/app-token")))).isEqualTo("rw-------");
        try (Stream<Path> left = Files.list(home.resolve("config"))) {
            assertThat(left).as("no temporary file left").containsExactly(home.resolve("config/app-token"));
        }
    }

    @Test
    void aMissingOrEmptyFileHoldsNoToken() throws Exception {
        ComponentTokenFile file = new ComponentTokenFile(home, "config/app-token");
        assertThat(file.read()).isEmpty();
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/app-token"), "  \n");
        assertThat(file.read()).isEmpty();
    }

    @Test
    void aLinkedFileIsRefusedAndWhatItPointsAtIsUntouched() throws Exception {
        Path elsewhere = Files.writeString(Files.createDirectories(home.resolveSibling(home.getFileName() + "-elsewhere")).resolve("target"),
                "keep me\n");
        Files.createDirectories(home.resolve("config"));
        Files.createSymbolicLink(home.resolve("config/app-token"), elsewhere);
        ComponentTokenFile file = new ComponentTokenFile(home, "config/app-token");

        assertThatThrownBy(() -> file.write("lbx2_new")).isInstanceOf(UpliftException.class).hasMessageContaining("is a symbolic link")
                .hasMessageContaining("config/app-token").hasMessageNotContaining("lbx2_new");
        assertThat(Files.readString(elsewhere)).isEqualTo("keep me\n");
        assertThat(Files.isSymbolicLink(home.resolve("config/app-token"))).isTrue();
    }

    @Test
    void aLinkedFolderIsRefusedToo() throws Exception {
        Path elsewhere = Files.createDirectories(home.resolveSibling(home.getFileName() + "-folder"));
        Files.createSymbolicLink(home.resolve("config"), elsewhere);
        ComponentTokenFile file = new ComponentTokenFile(home, "config/app-token");
        assertThatThrownBy(() -> file.write("lbx2_new")).isInstanceOf(UpliftException.class).hasMessageContaining(home.resolve("config")
                + " is a symbolic link");
        assertThat(Files.exists(elsewhere.resolve("app-token"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aPathLeavingTheHomeIsRefused() {
        assertThatThrownBy(() -> new ComponentTokenFile(home, "../outside")).isInstanceOf(UpliftException.class)
                .hasMessageContaining("lies outside the node's home");
    }
}
