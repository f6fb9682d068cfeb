package io.uplift.backup;

import io.uplift.api.BackupManifest;
import io.uplift.api.BackupResult;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.VerifyResult.Kind;
import io.uplift.api.VerifyResult.Problem;
import io.uplift.db.PgTools;
import io.uplift.api.ProgressListener;
import io.uplift.install.Installation;
import io.uplift.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a backup copies (issue 13, items 5 and 7): never a backup folder inside the copied folders,
 * never through a symbolic link; and a backup that fails midway leaves nothing that looks complete.
 * A real Lockbox 1.0 demo on PostgreSQL 10, driven through the command line where the exit code matters.
 */
class BackupSourcesIT {
    private static Path home;
    private static Path outside;

    @BeforeAll
    static void prepareDemo() {
        Path dir = TestPostgres.newTraversableTempDir();
        home = dir.resolve("lockbox");
        outside = dir.resolve("outside");
        Cli run = Cli.run("demo", "--prepare-only", "--home", home.toString(), "--events", "300", "--seed", "5");
        assertThat(run.exit()).as(run.toString()).isZero();
    }

    @AfterAll
    static void stopDemoServer() {
        if (home != null) {
            Cli.run("db", "stop", "--home", home.toString());
        }
    }

    @Test
    void issue13_item5_aBackupFolderInsideDataIsRefusedWithExitTwoNamingTheFlagAndNothingIsWritten() {
        Path inside = home.resolve("data/bk");

        Cli run = Cli.run("backup", "--home", home.toString(), "--backup-dir", inside.toString());

        assertThat(run.exit()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("--backup-dir", inside.toString(), "is inside " + home.resolve("data"), "Nothing was written");
        assertThat(inside).doesNotExist();
    }

    @Test
    void issue13_item5_aBackupFolderReachedThroughALinkIntoTheHomeIsRefusedToo() throws Exception {
        Files.createDirectories(outside);
        Path link = outside.resolve("looks-outside");
        Files.createSymbolicLink(link, home.resolve("config"));
        try {
            Cli run = Cli.run("backup", "--home", home.toString(), "--backup-dir", link.resolve("bk").toString());

            assertThat(run.exit()).as(run.toString()).isEqualTo(2);
            assertThat(run.err()).contains("--backup-dir", "really " + home.resolve("config").toRealPath().resolve("bk"));
            assertThat(home.resolve("config/bk")).doesNotExist();
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void issue13_item7_aHomeWhoseDataFolderIsASymbolicLinkIsRefusedNamingTheLinkAndTheFix() throws Exception {
        Files.createDirectories(outside);
        Path moved = outside.resolve("data-elsewhere");
        Path backups = outside.resolve("backups-link-test");
        Files.move(home.resolve("data"), moved);
        Files.createSymbolicLink(home.resolve("data"), moved);
        try {
            Cli run = Cli.run("backup", "--home", home.toString(), "--backup-dir", backups.toString());

            assertThat(run.exit()).as(run.toString()).isEqualTo(12);
            assertThat(run.err()).contains(home.resolve("data") + " is a symbolic link", "mount --bind", "Nothing was written");
            assertThat(backups).doesNotExist();
        } finally {
            Files.delete(home.resolve("data"));
            Files.move(moved, home.resolve("data"));
        }
    }

    @Test
    void issue13_item7_aLinkInsideDataIsBackedUpAsALinkAndVerificationComparesItsTargetWithoutFollowingIt() throws Exception {
        Path link = home.resolve("data/current");
        Files.createSymbolicLink(link, Path.of("../config/keyset.json"));
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        Backups backups = new Backups(root, PgTools.locate(Optional.empty()));
        try {
            BackupResult r = backups.create(Installation.open(home), ProgressListener.NONE);
            Path copy = r.folder().resolve("data/current");
            assertThat(r.manifest().files()).filteredOn(e -> e.path().equals("data/current"))
                    .singleElement().satisfies(e -> assertThat(e.link()).isEqualTo("../config/keyset.json"));
            assertThat(Files.isSymbolicLink(copy)).isTrue();

            Files.delete(copy);
            Files.createSymbolicLink(copy, Path.of("../config/database.properties"));
            assertThat(backups.verify(r.id()).problems()).extracting(Problem::path, Problem::kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("data/current", Kind.LINK_MISMATCH));

            // The right bytes behind a file where a link was recorded are still wrong: the link is the backup's content.
            Files.delete(copy);
            Files.copy(home.resolve("config/keyset.json"), copy);
            assertThat(backups.verify(r.id()).problems()).extracting(Problem::path, Problem::kind)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("data/current", Kind.WRONG_TYPE));
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void aBackupThatFailsMidwayLeavesNoFolderThatVerifyListOrRetentionWouldTakeForComplete() throws Exception {
        Path root = TestPostgres.newTraversableTempDir().resolve("backups");
        Backups backups = new Backups(root, PgTools.locate(Optional.empty()));
        int[] reports = {0};
        ProgressListener failing = (done, total) -> {
            if (++reports[0] == 3) {
                throw new IllegalStateException("the disk went away");
            }
        };

        // Thrown from the progress listener: inside pg_dump's output reader or the file copy, wherever the third report comes.
        assertThatThrownBy(() -> backups.create(Installation.open(home), failing)).isInstanceOf(RuntimeException.class);

        assertThat(backups.list()).isEmpty();
        try (Stream<Path> left = Files.list(root)) {
            assertThat(left.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()).isEmpty();
        }
        String id = backups.create(Installation.open(home), ProgressListener.NONE).id();
        assertThat(backups.list()).extracting(BackupManifest::id).isEqualTo(List.of(id));
    }
}
