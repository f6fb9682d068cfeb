package io.uplift.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two trees hash alike exactly when they would run alike. */
class TreeHashTest {
    @TempDir
    Path dir;
    Path a;
    Path b;

    private static void tree(Path root) throws Exception {
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("lib"));
        Files.writeString(root.resolve("VERSION"), "2.1\n");
        Files.writeString(root.resolve("bin/lockbox"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(root.resolve("bin/lockbox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(root.resolve("lib/app.jar"), "jar");
    }

    @BeforeEach
    void twoEqualTrees() throws Exception {
        a = dir.resolve("a");
        b = dir.resolve("b");
        tree(a);
        tree(b);
    }

    @Test
    void equalTreesInDifferentPlacesHashAlikeWhateverTheirTimesAndEmptyFolders() throws Exception {
        Files.setLastModifiedTime(b.resolve("VERSION"), FileTime.fromMillis(0));
        Files.createDirectories(b.resolve("empty/nested"));

        assertThat(TreeHash.of(a)).isEqualTo(TreeHash.of(b)).hasSize(64);
    }

    @Test
    void changedContentGivesAnotherHash() throws Exception {
        Files.writeString(b.resolve("lib/app.jar"), "jaR");

        assertThat(TreeHash.of(a)).isNotEqualTo(TreeHash.of(b));
    }

    @Test
    void theExecutableBitCountsButOtherPermissionBitsDoNot() throws Exception {
        Files.setPosixFilePermissions(b.resolve("VERSION"), PosixFilePermissions.fromString("rw-------"));
        assertThat(TreeHash.of(a)).isEqualTo(TreeHash.of(b));

        Files.setPosixFilePermissions(b.resolve("bin/lockbox"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(TreeHash.of(a)).isNotEqualTo(TreeHash.of(b));
    }

    @Test
    void aMovedFileGivesAnotherHashEvenWithTheSameContent() throws Exception {
        Files.move(b.resolve("lib/app.jar"), b.resolve("lib/app2.jar"));

        assertThat(TreeHash.of(a)).isNotEqualTo(TreeHash.of(b));
    }

    @Test
    void aLinkCountsByWhereItPointsNotByWhatItPointsAt() throws Exception {
        Path outside = dir.resolve("outside.conf");
        Files.writeString(outside, "one");
        Files.createSymbolicLink(a.resolve("conf"), outside);
        Files.createSymbolicLink(b.resolve("conf"), dir.resolve("elsewhere.conf"));
        String before = TreeHash.of(a);

        Files.writeString(outside, "two");

        assertThat(TreeHash.of(a)).as("the target is never read").isEqualTo(before);
        assertThat(TreeHash.of(b)).as("another target is another tree").isNotEqualTo(before);
    }

    @Test
    void aFolderThatDoesNotExistCannotBeHashedAndIsNamed() {
        assertThatThrownBy(() -> TreeHash.of(dir.resolve("none")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("Cannot hash the folder " + dir.resolve("none"));
    }
}
