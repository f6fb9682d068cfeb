package io.uplift.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.uplift.db.OsUser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private String[] names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void aNewFileIsReadableByItsOwnerOnlyAndItsMissingFolderIsCreated() throws Exception {
        Path target = dir.resolve("config/keyset.json");

        DurableFiles.write(target, "key".getBytes(StandardCharsets.UTF_8));

        assertThat(target).hasContent("key");
        assertThat(mode(target)).isEqualTo("rw-------");
    }

    @Test
    void writingOverAFileReplacesItsWholeContentAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("state.json");
        DurableFiles.write(target, "a much longer first content".getBytes(StandardCharsets.UTF_8));

        DurableFiles.write(target, "short".getBytes(StandardCharsets.UTF_8));

        assertThat(target).hasContent("short");
        assertThat(names()).containsExactly("state.json");
    }

    @Test
    void writeGivesAnExistingWorldReadableFileTheOwnerOnlyModeAgain() throws Exception {
        Path target = dir.resolve("state.json");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));

        DurableFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(mode(target)).isEqualTo("rw-------");
    }

    /** One way of writing a whole file: {@link DurableFiles#write} or {@link DurableFiles#writeUnforced}. */
    private interface Writer {
        void write(Path target, byte[] content) throws Exception;
    }

    /** Plants a link at the target, writes "new" with {@code writer}, and checks the link was replaced, not followed. */
    private Path writeOverALink(Writer writer) throws Exception {
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "precious");
        Path target = dir.resolve("state.json");
        Files.createSymbolicLink(target, victim);

        writer.write(target, "new".getBytes(StandardCharsets.UTF_8));

        assertThat(victim).hasContent("precious");
        assertThat(Files.isSymbolicLink(target)).isFalse();
        assertThat(target).hasContent("new");
        return target;
    }

    @Test
    void writeReplacesALinkAtTheTargetInsteadOfWritingThroughIt() throws Exception {
        writeOverALink(DurableFiles::write);
    }

    @Test
    void replaceKeepingOwnerKeepsTheOwnerGroupAndModeOfTheFileItReplaces() throws Exception {
        assumeTrue(OsUser.runningAsRoot(), "giving a file to another account needs root");
        Path target = dir.resolve("database.properties");
        Files.writeString(target, "url=old");
        Files.setAttribute(target, "unix:uid", 65534);
        Files.setAttribute(target, "unix:gid", 65534);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));

        DurableFiles.replaceKeepingOwner(target, "url=new".getBytes(StandardCharsets.UTF_8));

        assertThat(target).hasContent("url=new");
        assertThat(Files.getAttribute(target, "unix:uid")).isEqualTo(65534);
        assertThat(Files.getAttribute(target, "unix:gid")).isEqualTo(65534);
        assertThat(mode(target)).isEqualTo("rw-r-----");
        assertThat(names()).containsExactly("database.properties");
    }

    @Test
    void replaceKeepingOwnerGivesANewFileOrAReplacedLinkTheOwnerOnlyModeAndNeverTouchesTheLinkTarget() throws Exception {
        Path victim = dir.resolve("victim");
        Files.writeString(victim, "precious");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path linked = dir.resolve("linked");
        Files.createSymbolicLink(linked, victim);
        Path fresh = dir.resolve("fresh");

        DurableFiles.replaceKeepingOwner(linked, "x".getBytes(StandardCharsets.UTF_8));
        DurableFiles.replaceKeepingOwner(fresh, "y".getBytes(StandardCharsets.UTF_8));

        assertThat(victim).hasContent("precious");
        assertThat(mode(victim)).isEqualTo("rw-rw-rw-");
        assertThat(Files.isSymbolicLink(linked)).isFalse();
        assertThat(mode(linked)).isEqualTo("rw-------");
        assertThat(mode(fresh)).isEqualTo("rw-------");
        assertThat(fresh).hasContent("y");
    }

    @Test
    void issue14_item4_writeUnforcedReplacesALinkWithAnOwnerOnlyFileAndLeavesNoTemporaryFile() throws Exception {
        Path target = writeOverALink(DurableFiles::writeUnforced);

        assertThat(mode(target)).isEqualTo("rw-------");
        assertThat(names()).containsExactly("state.json", "victim");
    }

    @Test
    void issue14_item4_moveIntoPlaceRenamesAStreamedFileOverTheOldOneKeepingItsMode() throws Exception {
        Path streamed = dir.resolve("chunk.copy.partial");
        Files.writeString(streamed, "rows");
        Files.setPosixFilePermissions(streamed, PosixFilePermissions.fromString("rw-------"));
        Path target = dir.resolve("chunk.copy");
        Files.writeString(target, "stale rows of an earlier run");

        DurableFiles.moveIntoPlace(streamed, target);

        assertThat(target).hasContent("rows");
        assertThat(mode(target)).isEqualTo("rw-------");
        assertThat(names()).containsExactly("chunk.copy");
    }
}
