package io.uplift.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.UpliftException;
import io.uplift.testsupport.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 11: the server's private files (the short socket folder in /tmp, the initdb password
 * file) are never reached through a link someone planted. Real files, real links, real processes; the
 * PostgreSQL programs are small scripts, since what matters is what Uplift does before running them.
 */
class RootPrivateFilesTest {
    @Test
    void issue13_item11_aLinkPlantedAtTheSocketFolderInTmpIsNotChmodedThrough() throws Exception {
        Assumptions.assumeTrue(OsUser.runningAsRoot(), "the server user is switched to only as root");
        Path deep = TestPostgres.newTraversableTempDir().resolve("a".repeat(60)).resolve("b".repeat(40)).resolve("data");
        ClusterFiles files = new ClusterFiles(deep);
        Path socketDir = files.socketDir();
        assertThat(socketDir.getParent()).isEqualTo(Path.of("/tmp"));
        Path victim = TestPostgres.newTraversableTempDir().resolve("victim");
        Files.createDirectories(victim);
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.deleteIfExists(socketDir);
        Files.createSymbolicLink(socketDir, victim);
        try {
            assertThatThrownBy(() -> OsUser.serverUser().preparePrivateDirectory(socketDir))
                    .isInstanceOf(UpliftException.class).hasMessageContaining("symbolic link").hasMessageContaining("rm " + socketDir);

            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rwxr-xr-x");
            assertThat(Files.getOwner(victim).getName()).isEqualTo("root");
        } finally {
            Files.deleteIfExists(socketDir);
        }
    }

    @Test
    void aSocketFolderInTmpMadeByAnotherAccountIsRefused() throws Exception {
        Assumptions.assumeTrue(OsUser.runningAsRoot(), "the server user is switched to only as root");
        Path deep = TestPostgres.newTraversableTempDir().resolve("c".repeat(60)).resolve("d".repeat(40)).resolve("data");
        Path socketDir = new ClusterFiles(deep).socketDir();
        Files.createDirectory(socketDir);
        Files.setAttribute(socketDir, "unix:uid", 65534);
        try {
            assertThatThrownBy(() -> OsUser.serverUser().preparePrivateDirectory(socketDir))
                    .isInstanceOf(UpliftException.class).hasMessageContaining("belongs to another account (uid 65534)");
        } finally {
            Files.deleteIfExists(socketDir);
        }
    }

    @Test
    void issue13_item11_aLinkPlantedAtTheInitdbPasswordFileIsNotFollowed() throws Exception {
        Path bin = Files.createDirectories(TestPostgres.newTraversableTempDir().resolve("bin"));
        script(bin.resolve("postgres"), "echo 'postgres (PostgreSQL) 16.4'");
        script(bin.resolve("pg_ctl"), "exit 1");
        // Records the password initdb was given, in the data folder (the server user's own).
        script(bin.resolve("initdb"), "for a in \"$@\"; do case \"$a\" in --pwfile=*) cat \"${a#--pwfile=}\" > \"$2/seen\";; esac; done");
        Path data = TestPostgres.newTraversableTempDir().resolve("data");
        ClusterFiles files = new ClusterFiles(data);
        Path victim = TestPostgres.newTraversableTempDir().resolve("victim");
        Files.writeString(victim, "precious\n");
        Files.createDirectories(files.socketDir());
        Files.createSymbolicLink(files.socketDir().resolve("initdb-password"), victim);

        new ClusterInitializer(PgBinaries.fromDirectory(bin), files, OsUser.serverUser()).initdb("lockbox", "s3cret");

        assertThat(Files.readString(victim)).isEqualTo("precious\n");
        assertThat(Files.readString(data.resolve("seen"))).isEqualTo("s3cret\n");
        try (Stream<Path> left = Files.list(files.socketDir())) {
            assertThat(left.map(p -> p.getFileName().toString())).as("the password file is gone afterwards")
                    .containsExactly("initdb-password");
        }
    }

    private static void script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
