package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison of a home's keyset with the database's record (the record is given; the database part is KeysetFaultsIT's). */
class KeysetConsistencyTest {
    @TempDir
    Path dir;

    private Path home() {
        return dir.resolve("home");
    }

    private InstallationKeyset create() {
        return KeysetStore.of(home().resolve("config/keyset.json")).create(MasterKeySource.keyFile(dir.resolve("home.master-key")), KeyEnvironment.of(Map.of())).keyset();
    }

    private static Optional<KeysetRecord> record(InstallationKeyset k) {
        return Optional.of(new KeysetRecord(k.fingerprint(), k.primaryKeyId(), "node-a", "/srv/lockbox", "2026-11-23T07:00:00Z"));
    }

    @Test
    void theSameKeysetMatchesAndNothingRecordedIsSaidSo() {
        InstallationKeyset k = create();

        assertThat(KeysetConsistency.compare(home(), record(k), false).verdict()).isEqualTo(KeysetConsistency.Verdict.MATCH);
        assertThat(KeysetConsistency.compare(home(), Optional.empty(), false).verdict()).isEqualTo(KeysetConsistency.Verdict.NOT_RECORDED);
    }

    @Test
    void anotherKeysetIsAMismatchNamingFingerprintsNodeFileAndRemedy() {
        InstallationKeyset k = create();
        InstallationKeyset other = InstallationKeyset.generate();

        assertThatThrownBy(() -> KeysetConsistency.require(home(), record(other), true))
                .isInstanceOf(UpliftException.class)
                .satisfies(e -> assertThat(((UpliftException) e).code()).isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining("This node's keyset does not match the database's: " + home().resolve("config/keyset.json")
                        + " has fingerprint " + k.fingerprint().substring(0, 12))
                .hasMessageContaining("the database recorded " + other.fingerprint().substring(0, 12) + " (primary key " + other.primaryKeyId()
                        + ") from node node-a, home /srv/lockbox, at 2026-11-23T07:00:00Z")
                .hasMessageContaining("Copy config/keyset.json from node node-a (/srv/lockbox/config/keyset.json) together with its master key"
                        + " (the key file " + dir.resolve("home.master-key") + " there)")
                .hasMessageContaining("Nothing was changed.");
    }

    @Test
    void aKeysetReplacedOnTheNodeThatRecordedItIsToldToPutTheRightOneBack() {
        create();
        InstallationKeyset other = InstallationKeyset.generate();
        Optional<KeysetRecord> here = Optional.of(new KeysetRecord(other.fingerprint(), other.primaryKeyId(), KeysetRecord.thisNode(),
                home().toString(), "2026-11-23T07:00:00Z"));

        assertThat(KeysetConsistency.compare(home(), here, false).message())
                .contains("from node " + KeysetRecord.thisNode() + ", home " + home())
                .contains("This very node and home recorded it, so the keyset in place replaced it since")
                .doesNotContain("Copy config/keyset.json from node");
    }

    @Test
    void anInterruptedRotationIsLetThroughForResumeOnly() throws Exception {
        InstallationKeyset before = create();
        Path file = home().resolve("config/keyset.json");
        Path saved = home().resolve(".uplift/keys/keyset-before-3.0.json");
        Files.createDirectories(saved.getParent());
        Files.copy(file, saved);
        SealedKeyset opened = KeysetStore.of(file).open(KeyEnvironment.system());
        KeysetStore.of(file).write(opened.keyset().withNewPrimary(), opened.seal());

        assertThat(KeysetConsistency.compare(home(), record(before), true).verdict())
                .isEqualTo(KeysetConsistency.Verdict.ROTATION_IN_PROGRESS);
        assertThat(KeysetConsistency.compare(home(), record(before), false).verdict()).isEqualTo(KeysetConsistency.Verdict.MISMATCH);
    }

    @Test
    void aForeignKeysetIsNoRotationEvenWithTheSavedCopyInPlace() throws Exception {
        InstallationKeyset before = create();
        Path file = home().resolve("config/keyset.json");
        Path saved = home().resolve(".uplift/keys/keyset-before-3.0.json");
        Files.createDirectories(saved.getParent());
        Files.copy(file, saved);
        KeysetStore.of(file).write(InstallationKeyset.generate(), KeysetStore.of(file).open(KeyEnvironment.system()).seal());

        assertThat(KeysetConsistency.compare(home(), record(before), true).verdict()).isEqualTo(KeysetConsistency.Verdict.MISMATCH);
    }
}
