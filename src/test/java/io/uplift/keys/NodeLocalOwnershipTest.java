package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import static org.assertj.core.api.Assertions.assertThat;

import io.uplift.journal.DurableFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, item 12: the product reads its node-local files under its service account, so a root-run
 * rewrite (key rotation, database move) must keep the file's owner, group and mode.
 */
class NodeLocalOwnershipTest {
    @TempDir
    Path dir;

    @Test
    void issue13_item12_aRotatedKeysetKeepsItsOwnerGroupAndMode() throws Exception {
        Path file = dir.resolve("home/config/keyset.json");
        SealedKeyset sealed = KeysetStore.of(file).create(MasterKeySource.keyFile(dir.resolve("home.master-key")), KeyEnvironment.of(Map.of()));
        InstallationKeyset created = sealed.keyset();
        handToServiceAccount(file);

        KeysetStore.of(file).write(created.withNewPrimary(), sealed.seal()); // what KeysetFile.replace does for 'keys rotate'

        assertOwnedByServiceAccount(file);
        assertThat(KeysetStore.of(file).open(KeyEnvironment.system()).keyset().primaryKeyId()).isNotEqualTo(created.primaryKeyId());
    }

    @Test
    void issue13_item12_rewrittenDatabaseSettingsKeepTheirOwnerGroupAndMode() throws Exception {
        Path file = dir.resolve("home/config/database.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "url=jdbc:postgresql://127.0.0.1:5432/lockbox\n");
        handToServiceAccount(file);

        DurableFiles.replaceKeepingOwner(file, "url=jdbc:postgresql://127.0.0.1:5433/lockbox\n".getBytes(StandardCharsets.UTF_8));

        assertOwnedByServiceAccount(file);
        assertThat(Files.readString(file)).contains(":5433/");
    }

    @Test
    void aNewFileIsStillCreatedReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("home/config/new.properties");

        DurableFiles.replaceKeepingOwner(file, "a=b\n".getBytes(StandardCharsets.UTF_8));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    private static void handToServiceAccount(Path file) throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file to another account");
        UserPrincipalLookupService users = file.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        view.setOwner(users.lookupPrincipalByName("nobody"));
        view.setGroup(users.lookupPrincipalByGroupName("nogroup"));
        view.setPermissions(PosixFilePermissions.fromString("rw-r-----"));
    }

    private static void assertOwnedByServiceAccount(Path file) throws Exception {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal owner = a.owner();
        GroupPrincipal group = a.group();
        assertThat(owner.getName()).isEqualTo("nobody");
        assertThat(group.getName()).isEqualTo("nogroup");
        assertThat(PosixFilePermissions.toString(a.permissions())).isEqualTo("rw-r-----");
    }
}
