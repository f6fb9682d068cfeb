package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.catalog.TreeHash;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path dir;

    private Path tree() throws Exception {
        Path from = dir.resolve("from");
        Files.createDirectories(from.resolve("bin"));
        Files.createDirectories(from.resolve("empty"));
        Files.writeString(from.resolve("bin/run"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(from.resolve("bin/run"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(dir.resolve("outside"), "outside");
        Files.createSymbolicLink(from.resolve("link"), dir.resolve("outside"));
        return from;
    }

    @Test
    void aCopyIsTheSameTreeWithItsModesEmptyFoldersAndLinksAsLinks() throws Exception {
        Path from = tree();
        Path to = dir.resolve("to");

        FileTrees.copy(from, to);

        assertThat(TreeHash.of(to)).isEqualTo(TreeHash.of(from));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(to.resolve("bin/run")))).isEqualTo("rwxr-x---");
        assertThat(to.resolve("empty")).isDirectory();
        assertThat(Files.isSymbolicLink(to.resolve("link"))).isTrue();
        assertThat(Files.readSymbolicLink(to.resolve("link"))).isEqualTo(dir.resolve("outside"));
    }

    @Test
    void deletingATreeRemovesItButNotWhatItsLinksPointAtAndAMissingTreeIsNoError() throws Exception {
        Path from = tree();

        FileTrees.delete(from);
        FileTrees.delete(from);

        assertThat(from).doesNotExist();
        assertThat(dir.resolve("outside")).hasContent("outside");
    }

    @Test
    void deletingALinkToAFolderRemovesTheLinkOnly() throws Exception {
        Path from = tree();
        Path link = Files.createSymbolicLink(dir.resolve("link-to-tree"), from);

        FileTrees.delete(link);

        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(from.resolve("bin/run")).exists();
    }

    @Test
    void aRenameCreatesTheMissingParentFoldersOfItsTarget() throws Exception {
        Path from = tree();
        String hash = TreeHash.of(from);
        Path to = dir.resolve(".uplift/previous/1.0/app");

        FileTrees.rename(from, to);

        assertThat(from).doesNotExist();
        assertThat(TreeHash.of(to)).isEqualTo(hash);
    }
}
