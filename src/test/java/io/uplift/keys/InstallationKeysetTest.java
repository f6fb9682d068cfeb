package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallationKeysetTest {
    @TempDir
    Path dir;

    private Path home() {
        return dir.resolve("home");
    }

    private MasterKeySource keyFile() {
        return MasterKeySource.keyFile(dir.resolve("home.master-key"));
    }

    @Test
    void withDisabledKeepsTheKeysAndTheSealIsUntouchedByAnyChangeOfTheValue() {
        Path file = home().resolve("keyset.json");
        SealedKeyset created = KeysetStore.of(file).create(keyFile(), KeyEnvironment.of(Map.of()));
        InstallationKeyset rotated = created.keyset().withNewPrimary();
        InstallationKeyset retired = rotated.withDisabled(java.util.List.of(created.keyset().primaryKeyId()));

        KeysetStore.of(file).write(retired, created.seal());

        SealedKeyset loaded = KeysetStore.of(file).open(KeyEnvironment.of(Map.of()));
        assertThat(loaded.keyset().fingerprint()).isEqualTo(retired.fingerprint()).isNotEqualTo(rotated.fingerprint());
        assertThat(loaded.seal().source()).isEqualTo(keyFile());
        assertThat(KeysetEntries.of(loaded.keyset())).hasSize(2);
    }

    private InstallationKeyset create(Path file) {
        return KeysetStore.of(file).create(keyFile(), KeyEnvironment.of(Map.of())).keyset();
    }

    @Test
    void aCreatedKeysetLoadsBackWithTheSamePrimaryKeyAndFingerprint() {
        Path file = home().resolve("config/keyset.json");
        InstallationKeyset created = create(file);

        InstallationKeyset loaded = KeysetStore.of(file).open(KeyEnvironment.system()).keyset();

        assertThat(loaded.primaryKeyId()).isEqualTo(created.primaryKeyId()).isBetween(0L, 0xFFFF_FFFFL);
        assertThat(loaded.fingerprint()).isEqualTo(created.fingerprint()).matches("[0-9a-f]{64}");
        assertThat(KeysetStore.of(file).open(KeyEnvironment.system()).keyset().fingerprint()).isEqualTo(created.fingerprint());
    }

    @Test
    void createWithoutASourcePutsANewKeyFileBesideTheHomeNotInIt() throws Exception {
        Path file = home().resolve("config/keyset.json");
        KeysetStore store = KeysetStore.of(file);
        SealedKeyset sealed = store.create(store.defaultKeyFile(), KeyEnvironment.of(Map.of()));
        InstallationKeyset created = sealed.keyset();

        Path keyFile = dir.resolve("home.master-key");
        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(sealed.seal().source()).isEqualTo(new MasterKeySource.KeyFile(keyFile));
        assertThat(KeysetStore.of(file).open(KeyEnvironment.system()).keyset().fingerprint()).isEqualTo(created.fingerprint());
    }

    @Test
    void twoKeysetsHaveDifferentFingerprints() {
        assertThat(InstallationKeyset.generate().fingerprint()).isNotEqualTo(InstallationKeyset.generate().fingerprint());
    }

    @Test
    void theKeysetFileIsReadableByItsOwnerOnlyAndAloneInItsFolder() throws Exception {
        Path file = home().resolve("config/keyset.json");
        create(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void whatOneInstanceEncryptsDecryptsAfterReload() throws Exception {
        Path file = home().resolve("keyset.json");
        InstallationKeyset keyset = create(file);
        byte[] ciphertext = keyset.aead().encrypt("hunter2".getBytes(UTF_8), "42".getBytes(UTF_8));

        byte[] plaintext = KeysetStore.of(file).open(KeyEnvironment.system()).keyset().aead().decrypt(ciphertext, "42".getBytes(UTF_8));

        assertThat(new String(plaintext, UTF_8)).isEqualTo("hunter2");
        assertThat(new String(ciphertext, UTF_8)).doesNotContain("hunter2");
    }

    @Test
    void theFileHoldsTheFingerprintButNeitherKeysNorDoesToStringShowThem() throws Exception {
        Path file = home().resolve("keyset.json");
        InstallationKeyset keyset = create(file);

        assertThat(KeysetEnvelope.header(file).fingerprint()).isEqualTo(keyset.fingerprint());
        assertThat(RawKeys.leakedIn(Files.readAllBytes(file), RawKeys.of(keyset))).isFalse();
        assertThat(RawKeys.leakedIn(keyset.toString().getBytes(UTF_8), RawKeys.of(keyset))).isFalse();
        assertThat(keyset.toString()).contains(keyset.fingerprint()).doesNotContain(Files.readString(file));
    }

    @Test
    void createRefusesToReplaceAnExistingKeyset() throws Exception {
        Path file = home().resolve("keyset.json");
        InstallationKeyset first = create(file);

        assertThatThrownBy(() -> create(file))
                .isInstanceOf(UpliftException.class)
                .hasMessageContaining("already exists");
        assertThat(KeysetStore.of(file).open(KeyEnvironment.system()).keyset().fingerprint()).isEqualTo(first.fingerprint());
    }

    @Test
    void writeReplacesTheFileAtomicallyWithTheSealItIsGiven() {
        Path file = home().resolve("keyset.json");
        create(file);
        InstallationKeyset replacement = InstallationKeyset.generate();
        KeysetStore store = KeysetStore.of(file);

        store.write(replacement, store.open(KeyEnvironment.of(Map.of())).seal());

        SealedKeyset loaded = store.open(KeyEnvironment.of(Map.of()));
        assertThat(loaded.keyset().fingerprint()).isEqualTo(replacement.fingerprint());
        assertThat(loaded.seal().source()).isEqualTo(keyFile());
    }

    @Test
    void aRotatedKeysetKeepsItsMasterKeyAndStillDecryptsTheOldValues() throws Exception {
        Path file = home().resolve("keyset.json");
        InstallationKeyset before = create(file);
        byte[] old = before.aead().encrypt("s3cret".getBytes(UTF_8), new byte[0]);

        SealedKeyset opened = KeysetStore.of(file).open(KeyEnvironment.system());
        InstallationKeyset rotated = opened.keyset().withNewPrimary();
        KeysetStore.of(file).write(rotated, opened.seal());

        InstallationKeyset loaded = KeysetStore.of(file).open(KeyEnvironment.system()).keyset();
        assertThat(loaded.primaryKeyId()).isEqualTo(rotated.primaryKeyId()).isNotEqualTo(before.primaryKeyId());
        assertThat(loaded.fingerprint()).isEqualTo(rotated.fingerprint()).isNotEqualTo(before.fingerprint());
        assertThat(new String(loaded.aead().decrypt(old, new byte[0]), UTF_8)).isEqualTo("s3cret");
        assertThat(KeysetEnvelope.header(file).primaryKeyId()).isEqualTo(rotated.primaryKeyId());
    }

    @Test
    void aMissingOrDamagedKeysetIsReportedAsAnInvalidInstallation() throws Exception {
        Files.createDirectories(home());
        Path missing = home().resolve("missing.json");
        assertThatThrownBy(() -> KeysetStore.of(missing).open(KeyEnvironment.system()).keyset())
                .isInstanceOf(UpliftException.class)
                .hasMessageContaining("does not exist")
                .extracting(e -> ((UpliftException) e).code()).isEqualTo(ErrorCode.INSTALLATION_INVALID);

        Path damaged = Files.writeString(home().resolve("damaged.json"), "{\"format\": \"uplift-keyset/1\", \"primaryKeyId\": 1");
        assertThatThrownBy(() -> KeysetStore.of(damaged).open(KeyEnvironment.system()).keyset())
                .isInstanceOf(UpliftException.class)
                .hasMessageContaining(damaged + " is damaged: it is not valid JSON")
                .hasMessageContaining("Restore config/keyset.json from this node's backup")
                .extracting(e -> ((UpliftException) e).code()).isEqualTo(ErrorCode.INSTALLATION_INVALID);
    }
}
