package io.uplift.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrPrimaryUrlTest {
    @TempDir
    Path dir;

    @Test
    void tellsUrlsFromPaths() {
        assertThat(DrPrimaryUrl.looksLikeUrl("postgresql://app@db1:5432/lockbox")).isTrue();
        assertThat(DrPrimaryUrl.looksLikeUrl("jdbc:postgresql://db1/lockbox?user=app")).isTrue();
        assertThat(DrPrimaryUrl.looksLikeUrl("https://primary.example.org")).isTrue();
        assertThat(DrPrimaryUrl.looksLikeUrl("/mnt/primary/opt/lockbox")).isFalse();
        assertThat(DrPrimaryUrl.looksLikeUrl("lockbox")).isFalse();
    }

    @Test
    void libpqAndJdbcFormsReachTheSameDatabase() throws Exception {
        Path file = secret("s3cret");
        DrPrimaryUrl libpq = DrPrimaryUrl.parse("postgresql://app@db1.example.org:5433/lockbox", Optional.of(file), Map.of());
        DrPrimaryUrl jdbc = DrPrimaryUrl.parse("jdbc:postgresql://db1.example.org:5433/lockbox?user=app", Optional.of(file), Map.of());
        assertThat(libpq.database().url()).isEqualTo(jdbc.database().url()).startsWith("jdbc:postgresql://db1.example.org:5433/lockbox");
        assertThat(libpq.database().user()).isEqualTo("app");
        assertThat(libpq.database().password()).isEqualTo("s3cret");
        assertThat(libpq.toString()).isEqualTo("postgresql://app@db1.example.org:5433/lockbox").doesNotContain("s3cret");
    }

    @Test
    void aPasswordInEitherFormIsRefusedAndNeverRepeated() {
        for (String url : new String[] {"postgresql://app:hunter2@db1/lockbox", "postgresql://app@db1/lockbox?password=hunter2",
                "jdbc:postgresql://db1/lockbox?user=app&password=hunter2"}) {
            assertThatThrownBy(() -> DrPrimaryUrl.parse(url, Optional.empty(), Map.of())).isInstanceOf(UpliftException.class)
                    .hasMessageContaining("holds a password").hasMessageNotContaining("hunter2")
                    .extracting(e -> ((UpliftException) e).code()).isEqualTo(ErrorCode.USAGE);
        }
    }

    @Test
    void withoutAFileThePasswordComesFromPgpasswordThenThePassFile() throws Exception {
        String url = "postgresql://app@db1:5432/lockbox";
        assertThat(DrPrimaryUrl.parse(url, Optional.empty(), Map.of("PGPASSWORD", "from-env")).database().password()).isEqualTo("from-env");
        Path pgpass = secret("other:5432:*:*:wrong\ndb1:5432:lockbox:app:from-pgpass");
        assertThat(DrPrimaryUrl.parse(url, Optional.empty(), Map.of("PGPASSFILE", pgpass.toString())).database().password())
                .isEqualTo("from-pgpass");
        assertThat(DrPrimaryUrl.parse(url, Optional.empty(), Map.of()).database().password()).as("none: the server may trust").isEmpty();
    }

    @Test
    void aPasswordFileMustBeTheOwnersOnlyAndAsRootNoLink() throws Exception {
        Path file = secret("pw\nsecond line ignored");
        assertThat(DrPasswordFile.read(file, false)).isEqualTo("pw");
        Path link = Files.createSymbolicLink(dir.resolve("link"), file);
        assertThat(DrPasswordFile.read(link, false)).as("a user may link to their own file").isEqualTo("pw");
        assertThatThrownBy(() -> DrPasswordFile.read(link, true)).hasMessageContaining("is a symbolic link");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> DrPasswordFile.read(file, false)).hasMessageContaining("chmod 600 " + file)
                .hasMessageContaining("rw-r-----");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(file, "\n");
        assertThatThrownBy(() -> DrPasswordFile.read(file, false)).hasMessageContaining("is empty");
    }

    private Path secret(String text) throws Exception {
        Path file = Files.createTempFile(dir, "pw", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
        return file;
    }
}
