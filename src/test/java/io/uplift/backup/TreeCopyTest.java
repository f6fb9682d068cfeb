package io.uplift.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.BackupManifest.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copying a home folder into a backup never follows a symbolic link, even one that appears while the copy runs. */
class TreeCopyTest {
    private static final String SECRET = "the content of a file outside the home";

    @TempDir
    Path tmp;

    private Path home() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(home.resolve("data/index"));
        Files.writeString(home.resolve("data/index/a.idx"), "index a");
        Files.writeString(home.resolve("data/notes.txt"), "notes");
        Files.writeString(tmp.resolve("outside.txt"), SECRET);
        Files.createDirectories(tmp.resolve("outside-dir"));
        Files.writeString(tmp.resolve("outside-dir/inner.txt"), SECRET);
        return home;
    }

    private Path backup() throws IOException {
        return Files.createDirectories(tmp.resolve("backup"));
    }

    @Test
    void issue13_item7_linksInsideTheTreeAreCopiedAsLinksWithTheirTargetsAndNeverFollowed() throws Exception {
        Path home = home();
        Files.createSymbolicLink(home.resolve("data/to-file"), tmp.resolve("outside.txt"));
        Files.createSymbolicLink(home.resolve("data/index/to-dir"), Path.of("../../../outside-dir"));
        Path backup = backup();

        List<Entry> entries = TreeCopy.copy(home, "data", backup, n -> { });

        assertThat(entries).filteredOn(Entry::isLink).extracting(Entry::path, Entry::link).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("data/to-file", tmp.resolve("outside.txt").toString()),
                org.assertj.core.groups.Tuple.tuple("data/index/to-dir", "../../../outside-dir"));
        assertThat(Files.isSymbolicLink(backup.resolve("data/to-file"))).isTrue();
        assertThat(Files.readSymbolicLink(backup.resolve("data/index/to-dir"))).isEqualTo(Path.of("../../../outside-dir"));
        assertThat(entries).filteredOn(Entry::isFile).extracting(Entry::path)
                .containsExactlyInAnyOrder("data/index/a.idx", "data/notes.txt");
        assertNoCopyHolds(backup, SECRET);
    }

    @Test
    void issue13_item7_aFileSwappedForALinkWhileTheCopyRunsStopsTheCopyInsteadOfCopyingTheLinksTarget() throws Exception {
        Path home = home();
        Path victim = home.resolve("data/notes.txt");
        Path backup = backup();
        TreeCopy.BeforeOpen swap = p -> {
            if (p.equals(victim)) {
                Files.delete(victim);
                Files.createSymbolicLink(victim, tmp.resolve("outside.txt"));
            }
        };

        assertThatThrownBy(() -> TreeCopy.copy(home, "data", "data", backup, n -> { }, swap))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(victim.toString())
                .hasMessageContaining("became a symbolic link");
        assertNoCopyHolds(backup, SECRET);
    }

    @Test
    void issue13_item7_aFolderSwappedForALinkWhileTheCopyRunsStopsTheCopyInsteadOfWalkingIntoTheLinksTarget() throws Exception {
        Path home = home();
        Path victim = home.resolve("data/index");
        Path backup = backup();
        TreeCopy.BeforeOpen swap = p -> {
            if (p.equals(victim)) {
                Files.move(victim, tmp.resolve("index-moved"));
                Files.createSymbolicLink(victim, tmp.resolve("outside-dir"));
            }
        };

        assertThatThrownBy(() -> TreeCopy.copy(home, "data", "data", backup, n -> { }, swap))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(victim.toString())
                .hasMessageContaining("became a symbolic link");
        assertNoCopyHolds(backup, SECRET);
    }

    @Test
    void issue13_item7_aTopFolderThatIsALinkIsNotCopiedThroughTheLink() throws Exception {
        Path home = home();
        Files.move(home.resolve("data"), tmp.resolve("data-elsewhere"));
        Files.createSymbolicLink(home.resolve("data"), tmp.resolve("data-elsewhere"));

        assertThatThrownBy(() -> TreeCopy.copy(home, "data", backup(), n -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("symbolic link");
    }

    @Test
    void issue13_item7_hashingABackedUpFileThatIsNowALinkFailsInsteadOfHashingTheTarget() throws Exception {
        Path link = tmp.resolve("link");
        Files.writeString(tmp.resolve("real"), SECRET);
        Files.createSymbolicLink(link, tmp.resolve("real"));

        assertThatThrownBy(() -> TreeCopy.hash(link, n -> { })).isInstanceOf(IOException.class);
    }

    private static void assertNoCopyHolds(Path backup, String text) throws IOException {
        try (Stream<Path> walk = Files.walk(backup)) {
            for (Path p : walk.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                assertThat(Files.readString(p)).as(p.toString()).doesNotContain(text);
            }
        }
    }
}
