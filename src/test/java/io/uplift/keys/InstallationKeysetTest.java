package io.uplift.keys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallationKeysetTest {
    @TempDir
    Path home;

    @Test
    void aCreatedKeysetLoadsBackWithTheSamePrimaryKeyAndFingerprint() {
        Path file = home.resolve("config/keyset.json");
        InstallationKeyset created = InstallationKeyset.create(file);

        InstallationKeyset loaded = InstallationKeyset.load(file);

        assertThat(loaded.primaryKeyId()).isEqualTo(created.primaryKeyId()).isBetween(0L, 0xFFFF_FFFFL);
        assertThat(loaded.fingerprint()).isEqualTo(created.fingerprint()).matches("[0-9a-f]{64}");
        assertThat(InstallationKeyset.load(file).fingerprint()).isEqualTo(created.fingerprint());
    }

    @Test
    void twoKeysetsHaveDifferentFingerprints() {
        assertThat(InstallationKeyset.generate().fingerprint()).isNotEqualTo(InstallationKeyset.generate().fingerprint());
    }

    @Test
    void theKeysetFileIsReadableByItsOwnerOnly() throws Exception {
        Path file = home.resolve("config/keyset.json");
        InstallationKeyset.create(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void whatOneInstanceEncryptsDecryptsAfterReload() throws Exception {
        Path file = home.resolve("keyset.json");
        InstallationKeyset keyset = InstallationKeyset.create(file);
        byte[] ciphertext = keyset.aead().encrypt("hunter2".getBytes(UTF_8), "42".getBytes(UTF_8));

        byte[] plaintext = InstallationKeyset.load(file).aead().decrypt(ciphertext, "42".getBytes(UTF_8));

        assertThat(new String(plaintext, UTF_8)).isEqualTo("hunter2");
        assertThat(new String(ciphertext, UTF_8)).doesNotContain("hunter2");
    }

    @Test
    void theFingerprintDoesNotContainTheKeyFile() throws Exception {
        Path file = home.resolve("keyset.json");
        InstallationKeyset keyset = InstallationKeyset.create(file);

        assertThat(Files.readString(file)).doesNotContain(keyset.fingerprint());
        assertThat(keyset.toString()).contains(keyset.fingerprint()).doesNotContain(Files.readString(file));
    }

    @Test
    void createRefusesToReplaceAnExistingKeyset() throws Exception {
        Path file = home.resolve("keyset.json");
        InstallationKeyset first = InstallationKeyset.create(file);

        assertThatThrownBy(() -> InstallationKeyset.create(file))
                .isInstanceOf(UpliftException.class)
                .hasMessageContaining("already exists");
        assertThat(InstallationKeyset.load(file).fingerprint()).isEqualTo(first.fingerprint());
    }

    @Test
    void writeToReplacesTheFileAtomically() {
        Path file = home.resolve("keyset.json");
        InstallationKeyset.create(file);
        InstallationKeyset replacement = InstallationKeyset.generate();

        replacement.writeTo(file);

        assertThat(InstallationKeyset.load(file).fingerprint()).isEqualTo(replacement.fingerprint());
    }

    @Test
    void aMissingOrDamagedKeysetIsReportedAsAnInvalidInstallation() throws Exception {
        Path missing = home.resolve("missing.json");
        assertThatThrownBy(() -> InstallationKeyset.load(missing))
                .isInstanceOf(UpliftException.class)
                .hasMessageContaining("does not exist")
                .extracting(e -> ((UpliftException) e).code()).isEqualTo(ErrorCode.INSTALLATION_INVALID);

        Path damaged = Files.writeString(home.resolve("damaged.json"), "{\"primaryKeyId\": 1");
        assertThatThrownBy(() -> InstallationKeyset.load(damaged))
                .isInstanceOf(UpliftException.class)
                .hasMessageContaining("not a valid Tink JSON keyset")
                .extracting(e -> ((UpliftException) e).code()).isEqualTo(ErrorCode.INSTALLATION_INVALID);
    }
}
