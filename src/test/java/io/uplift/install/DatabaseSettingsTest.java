package io.uplift.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseSettingsTest {
    @TempDir
    Path home;

    private Path write(String text) throws Exception {
        Path file = home.resolve(DatabaseSettings.FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    @Test
    void settingsWrittenByUpliftReadBackEqualEvenWithAPasswordFullOfPropertySyntax() throws Exception {
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://127.0.0.1:5433/lockbox", "lockbox", "p=a:s#s!w\\ord ü");
        Files.createDirectories(home.resolve("config"));
        Files.write(home.resolve(DatabaseSettings.FILE), settings.toBytes());

        assertThat(DatabaseSettings.read(home)).isEqualTo(settings);
    }

    @Test
    void theSameSettingsAlwaysGiveTheSameBytesWithoutADateLine() {
        DatabaseSettings settings = new DatabaseSettings("jdbc:postgresql://h:1/d", "u", "p");

        String text = new String(settings.toBytes(), StandardCharsets.UTF_8);

        assertThat(settings.toBytes()).isEqualTo(new DatabaseSettings("jdbc:postgresql://h:1/d", "u", "p").toBytes());
        assertThat(text).startsWith("#Database of this node. Node-local: never copy it to another node.")
                .doesNotContainPattern("(?m)^#[A-Z][a-z]{2} [A-Z][a-z]{2} ");
    }

    @Test
    void valuesAreTrimmedAndAMissingPasswordIsEmpty() throws Exception {
        write("url = jdbc:postgresql://db:5432/lockbox   \nuser=  lockbox \n");

        assertThat(DatabaseSettings.read(home)).isEqualTo(new DatabaseSettings("jdbc:postgresql://db:5432/lockbox", "lockbox", ""));
    }

    @Test
    void aMissingOrBlankUrlOrUserIsNamedWithTheShapeTheFileNeeds() throws Exception {
        Path file = write("user=lockbox\n");
        assertThatThrownBy(() -> DatabaseSettings.read(home))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining(file.toString()).hasMessageContaining("lack 'url'")
                .hasMessageContaining("url=jdbc:postgresql://HOST:PORT/DB");

        write("url=jdbc:postgresql://db/lockbox\nuser=   \n");
        assertThatThrownBy(() -> DatabaseSettings.read(home)).hasMessageContaining("lack 'user'");
    }

    @Test
    void aMissingFileIsNamedAsNodeLocalWithTheBackupToRestoreItFrom() {
        assertThatThrownBy(() -> DatabaseSettings.read(home))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining("Cannot read the database settings " + home.resolve(DatabaseSettings.FILE))
                .hasMessageContaining("restore it from the backup of this node");
    }

    @Test
    void thePasswordNeverShowsInTheTextOfTheSettings() {
        assertThat(new DatabaseSettings("jdbc:postgresql://h/d", "u", "hunter2").toString())
                .contains("jdbc:postgresql://h/d").contains("user=u").doesNotContain("hunter2");
    }

    @Test
    void aMirroredNodeNamesItsPrimaryWhichKeepsTheUserAndPasswordAndRoundTrips() throws Exception {
        write("url=jdbc:postgresql://mirror:5432/lockbox\nprimary.url = jdbc:postgresql://primary:5432/lockbox \nuser=lockbox\npassword=hunter2\n");

        DatabaseSettings settings = DatabaseSettings.read(home);

        assertThat(settings.primaryUrl()).isEqualTo("jdbc:postgresql://primary:5432/lockbox");
        assertThat(settings.primary()).contains(new DatabaseSettings("jdbc:postgresql://primary:5432/lockbox", "lockbox", "hunter2"));
        assertThat(settings.toString()).contains("primary.url=jdbc:postgresql://primary:5432/lockbox").doesNotContain("hunter2");
        Files.write(home.resolve(DatabaseSettings.FILE), settings.toBytes());
        assertThat(DatabaseSettings.read(home)).isEqualTo(settings);
        assertThat(new DatabaseSettings("jdbc:postgresql://h/d", "u", "p").primary()).isEmpty();
    }

    @Test
    void aPrimaryUrlThatIsNoPostgresqlJdbcUrlIsNamedWithTheShapeItNeeds() throws Exception {
        Path file = write("url=jdbc:postgresql://mirror/lockbox\nuser=lockbox\nprimary.url=primary:5432\n");

        assertThatThrownBy(() -> DatabaseSettings.read(home))
                .isInstanceOfSatisfying(UpliftException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining(file.toString()).hasMessageContaining("primary.url=primary:5432")
                .hasMessageContaining("primary.url=jdbc:postgresql://HOST:PORT/DB");
    }
}
