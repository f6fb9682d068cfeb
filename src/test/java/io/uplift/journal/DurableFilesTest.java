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

    /** A file as a write killed in the middle leaves it, last changed {@code ago} before now. */
    private Path leftBehind(String name, java.time.Duration ago) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "old key material");
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(ago)));
        return p;
    }

    @Test
    void aWriteDeletesTheTemporaryFilesThatKilledWritesOfTheSameFileLeftBehindAndNothingElse() throws Exception {
        java.time.Duration old = DurableFiles.LEFT_BEHIND_AFTER.plusMinutes(1);
        leftBehind(".keyset.json1234567890.tmp", old);
        leftBehind(".keyset.json98765.tmp", old);
        leftBehind(".keyset.json55.tmp", java.time.Duration.ofSeconds(5)); // another process may be writing it now
        leftBehind(".keyset.json.bak42.tmp", old); // another file's
        leftBehind(".keyset.jsonx42.tmp", old); // not a name a write gives
        leftBehind(".state.json77.tmp", old); // another file's: its own next write deletes it
        Path victim = leftBehind("victim", old);
        Files.createSymbolicLink(dir.resolve(".keyset.json31.tmp"), victim);
        Files.setLastModifiedTime(victim, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(old)));

        DurableFiles.write(dir.resolve("keyset.json"), "new".getBytes(StandardCharsets.UTF_8));

        assertThat(names()).containsExactly(".keyset.json.bak42.tmp", ".keyset.json31.tmp", ".keyset.json55.tmp",
                ".keyset.jsonx42.tmp", ".state.json77.tmp", "keyset.json", "victim");
        assertThat(victim).hasContent("old key material");
    }

    @Test
    void everyWayOfWritingAWholeFileTidiesUpAfterKilledWrites() throws Exception {
        java.time.Duration old = DurableFiles.LEFT_BEHIND_AFTER.plusMinutes(1);
        leftBehind(".progress.json1.tmp", old);
        leftBehind(".database.properties2.tmp", old);

        DurableFiles.writeUnforced(dir.resolve("progress.json"), "{}".getBytes(StandardCharsets.UTF_8));
        DurableFiles.replaceKeepingOwner(dir.resolve("database.properties"), "url=x".getBytes(StandardCharsets.UTF_8));

        assertThat(names()).containsExactly("database.properties", "progress.json");
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
