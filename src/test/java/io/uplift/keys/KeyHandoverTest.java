package io.uplift.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.proto.Keyset;
import com.google.protobuf.ExtensionRegistryLite;
import io.uplift.api.ErrorCode;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.UpliftException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wrapped key of a cluster rotation: the other node, holding the same keyset in its own file
 * under its own master key, ends with exactly the primary's keyset; anything else is refused.
 */
class KeyHandoverTest {
    private static final KeyEnvironment ENV = KeyEnvironment.of(Map.of());

    @TempDir
    Path dir;

    /** The primary's keyset before the rotation, and the same keyset as a second node holds it (its own file and seal). */
    private InstallationKeyset primaryBefore;
    private InstallationKeyset node;

    @BeforeEach
    void twoNodesWithOneKeyset() {
        SealedKeyset primary = KeysetStore.of(dir.resolve("a/config/keyset.json")).create(MasterKeySource.keyFile(dir.resolve("a.master-key")), ENV);
        primaryBefore = primary.keyset();
        KeysetStore second = KeysetStore.of(dir.resolve("b/config/keyset.json"));
        second.write(primaryBefore, second.newSeal(MasterKeySource.keyFile(dir.resolve("b.master-key")), ENV));
        node = second.open(ENV).keyset();
    }

    @Test
    void theOtherNodeEndsWithThePrimarysKeysetAndReadsWhatThePrimaryWrites() throws Exception {
        InstallationKeyset rotated = primaryBefore.withNewPrimary();

        KeyHandover.Parcel parcel = KeyHandover.wrap(rotated, 41, node.fingerprint());
        InstallationKeyset next = KeyHandover.unwrap(node, parcel);

        assertThat(parcel.keyId()).isEqualTo(rotated.primaryKeyId());
        assertThat(parcel.wrappingKeyId()).isEqualTo(primaryBefore.primaryKeyId());
        assertThat(parcel.fingerprintBefore()).isEqualTo(node.fingerprint());
        assertThat(next.fingerprint()).isEqualTo(rotated.fingerprint()).isEqualTo(parcel.fingerprintAfter());
        assertThat(next.primaryKeyId()).isEqualTo(rotated.primaryKeyId());
        assertThat(KeysetEntries.enabledNonPrimary(next)).containsExactly(primaryBefore.primaryKeyId());
        byte[] ad = "secrets.value#7".getBytes(StandardCharsets.UTF_8);
        byte[] fromPrimary = rotated.aead().encrypt("s3cret".getBytes(StandardCharsets.UTF_8), ad);
        assertThat(new String(next.aead().decrypt(fromPrimary, ad), StandardCharsets.UTF_8)).isEqualTo("s3cret");
        assertThat(parcel.fingerprintRetired()).isEqualTo(next.withDisabled(parcel.retiringKeyIds()).fingerprint());
        assertThat(parcel.retiringKeyIds()).containsExactly(primaryBefore.primaryKeyId());
    }

    @Test
    void theBlobHoldsNoKeyMaterialInClearAndTheParcelNeverShowsIt() throws Exception {
        InstallationKeyset rotated = primaryBefore.withNewPrimary();
        KeyHandover.Parcel parcel = KeyHandover.wrap(rotated, 41, node.fingerprint());

        Keyset proto = Keyset.parseFrom(TinkProtoKeysetFormat.serializeKeyset(rotated.handle(), InsecureSecretKeyAccess.get(),
                RegistryConfiguration.get()), ExtensionRegistryLite.getEmptyRegistry());
        for (Keyset.Key key : proto.getKeyList()) {
            byte[] material = key.getKeyData().getValue().toByteArray();
            assertThat(indexOf(parcel.wrapped(), Arrays.copyOfRange(material, material.length - 32, material.length)))
                    .as("the 32 bytes of key %d in the blob", Integer.toUnsignedLong(key.getKeyId())).isEqualTo(-1);
        }
        assertThat(parcel.toString()).contains("key " + parcel.keyId()).doesNotContain(Arrays.toString(parcel.wrapped()));
    }

    @Test
    void anotherInstallationsKeysetCannotOpenIt() {
        KeyHandover.Parcel parcel = KeyHandover.wrap(primaryBefore.withNewPrimary(), 41, node.fingerprint());
        InstallationKeyset stranger = InstallationKeyset.generate();

        assertThatThrownBy(() -> KeyHandover.unwrap(stranger, parcel)).isInstanceOf(UpliftException.class)
                .hasMessageContaining("cannot open the new key " + parcel.keyId()).hasMessageContaining("Nothing was changed");
    }

    @Test
    void aTamperedBlobIsRefused() {
        KeyHandover.Parcel parcel = KeyHandover.wrap(primaryBefore.withNewPrimary(), 41, node.fingerprint());
        byte[] tampered = parcel.wrapped().clone();
        tampered[tampered.length / 2] ^= 0x01;

        assertThatThrownBy(() -> KeyHandover.unwrap(node, withBlob(parcel, tampered))).isInstanceOf(UpliftException.class)
                .hasMessageContaining("the parcel was altered");
    }

    @Test
    void aBlobMovedToAnotherUpgradeKeyOrResultingKeysetIsRefused() {
        KeyHandover.Parcel p = KeyHandover.wrap(primaryBefore.withNewPrimary(), 41, node.fingerprint());

        List<KeyHandover.Parcel> relabelled = List.of(
                new KeyHandover.Parcel(42, p.keyId(), p.wrappingKeyId(), p.wrapped(), p.fingerprintBefore(), p.fingerprintAfter(),
                        p.fingerprintRetired(), p.retiringKeyIds()),
                new KeyHandover.Parcel(41, p.keyId() + 1, p.wrappingKeyId(), p.wrapped(), p.fingerprintBefore(), p.fingerprintAfter(),
                        p.fingerprintRetired(), p.retiringKeyIds()),
                new KeyHandover.Parcel(41, p.keyId(), p.wrappingKeyId() + 1, p.wrapped(), p.fingerprintBefore(), p.fingerprintAfter(),
                        p.fingerprintRetired(), p.retiringKeyIds()),
                new KeyHandover.Parcel(41, p.keyId(), p.wrappingKeyId(), p.wrapped(), p.fingerprintBefore(), node.fingerprint(),
                        p.fingerprintRetired(), p.retiringKeyIds()));
        for (KeyHandover.Parcel wrong : relabelled) {
            assertThatThrownBy(() -> KeyHandover.unwrap(node, wrong)).as(wrong.toString()).isInstanceOf(UpliftException.class)
                    .hasMessageContaining("cannot open");
        }
        assertThat(KeyHandover.unwrap(node, p).primaryKeyId()).isEqualTo(p.keyId());
    }

    @Test
    void aNodeWhoseKeysetIsNotTheOneRotatedFromIsRefusedEvenIfItCanOpenTheBlob() {
        InstallationKeyset rotated = primaryBefore.withNewPrimary();
        KeyHandover.Parcel parcel = KeyHandover.wrap(rotated, 41, node.fingerprint());
        // Same key that wraps, plus a key of its own: it opens the blob, but would not end with the primary's keyset.
        InstallationKeyset drifted = node.withNewPrimary().withNewPrimary();
        InstallationKeyset holdingOldPrimary = KeyHandover.unwrap(node, parcel); // sanity: the real node is fine

        assertThat(holdingOldPrimary.fingerprint()).isEqualTo(rotated.fingerprint());
        assertThatThrownBy(() -> KeyHandover.unwrap(drifted, parcel)).isInstanceOf(UpliftException.class)
                .hasMessageContaining("not the primary's").hasMessageContaining("Nothing was changed");
    }

    @Test
    void wrapRefusesOtherNodesWhoseKeysetIsNotTheOneRotatedFrom() {
        InstallationKeyset rotated = primaryBefore.withNewPrimary();
        String otherKeyset = InstallationKeyset.generate().fingerprint();

        assertThatThrownBy(() -> KeyHandover.wrap(rotated, 41, otherKeyset)).isInstanceOf(UpliftException.class)
                .satisfies(e -> assertThat(((UpliftException) e).code()).isEqualTo(ErrorCode.INSTALLATION_INVALID))
                .hasMessageContaining("not the keyset this node rotated from").hasMessageContaining("nothing was published");
    }

    private static KeyHandover.Parcel withBlob(KeyHandover.Parcel p, byte[] blob) {
        return new KeyHandover.Parcel(p.upgradeId(), p.keyId(), p.wrappingKeyId(), blob, p.fingerprintBefore(), p.fingerprintAfter(),
                p.fingerprintRetired(), p.retiringKeyIds());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
