package io.uplift.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.proto.KeyStatusType;
import com.google.crypto.tink.proto.Keyset;
import com.google.protobuf.ExtensionRegistryLite;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * How a key made by one node's rotation reaches the other nodes of a cluster without travelling in
 * clear: the new key alone, wrapped (Tink AEAD) under an older key that every node's keyset already
 * holds, with associated data that binds the blob to one cluster upgrade, one key id and the keyset
 * it must produce. A blob copied to another upgrade, relabelled with another key id, or altered by a
 * single bit does not open. Only the node's own keyset can open it, so the database holding the
 * blob learns nothing a stolen database dump would not already need the keyset for.
 *
 * <p>A {@link Parcel} holds no key in clear; its {@link Parcel#toString()} does not show the blob.
 */
public final class KeyHandover {
    private static final String DOMAIN = "uplift-key-handover-v1";

    /**
     * What the rotating node publishes: the new key wrapped, the key that wraps it, the keyset
     * fingerprints before the rotation (every other node's), after it (what each node must end with)
     * and after the old keys retire, and which keys retire once every node holds the new one.
     */
    public record Parcel(long upgradeId, long keyId, long wrappingKeyId, byte[] wrapped, String fingerprintBefore, String fingerprintAfter,
            String fingerprintRetired, List<Long> retiringKeyIds) {
        public Parcel {
            retiringKeyIds = List.copyOf(retiringKeyIds);
        }

        @Override
        public String toString() {
            return "Parcel[upgrade " + upgradeId + ", key " + keyId + " wrapped under key " + wrappingKeyId + ", before "
                    + KeysetFingerprint.short12(fingerprintBefore) + ", after " + KeysetFingerprint.short12(fingerprintAfter) + "]";
        }
    }

    private KeyHandover() {}

    /**
     * The parcel of {@code rotated}'s primary key for the nodes whose keyset has fingerprint
     * {@code othersFingerprint}: the rotated keyset minus its new primary must be exactly their keyset
     * (with one of its keys as primary), which names the key to wrap under. Refused, with the
     * fingerprints, when it is not: those nodes could not open the parcel, or would end with another keyset.
     */
    public static Parcel wrap(InstallationKeyset rotated, long upgradeId, String othersFingerprint) {
        Keyset proto = proto(rotated.handle());
        int newKey = proto.getPrimaryKeyId();
        Keyset.Key key = proto.getKeyList().stream().filter(k -> k.getKeyId() == newKey).findFirst().orElseThrow();
        Optional<Keyset> before = proto.getKeyList().stream()
                .filter(k -> k.getKeyId() != newKey && k.getStatus() == KeyStatusType.ENABLED)
                .map(k -> withoutKey(proto, newKey).toBuilder().setPrimaryKeyId(k.getKeyId()).build())
                .filter(candidate -> fingerprint(candidate).equals(othersFingerprint))
                .findFirst();
        if (before.isEmpty()) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The other nodes hold keyset " + KeysetFingerprint.short12(othersFingerprint)
                    + ", which is not the keyset this node rotated from (this node's keyset without its new key " + unsigned(newKey)
                    + " is none of them): they could not open the new key, nor end with the same keyset. Put the same"
                    + " config/keyset.json on every node first ('uplift check' names the nodes); nothing was published.");
        }
        long wrappingKeyId = unsigned(before.get().getPrimaryKeyId());
        List<Long> retiring = KeysetEntries.enabledNonPrimary(rotated);
        String retired = rotated.withDisabled(retiring).fingerprint();
        byte[] material = key.toByteArray();
        try {
            Aead wrapper = parse(before.get()).getPrimitive(RegistryConfiguration.get(), Aead.class);
            byte[] wrapped = wrapper.encrypt(material, associatedData(upgradeId, unsigned(newKey), wrappingKeyId, rotated.fingerprint()));
            return new Parcel(upgradeId, unsigned(newKey), wrappingKeyId, wrapped, othersFingerprint, rotated.fingerprint(), retired, retiring);
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot wrap key " + unsigned(newKey) + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /**
     * This node's keyset with the parcel's key added and made primary, its old keys unchanged; the
     * result's fingerprint is the parcel's "after" (else refused). Refuses a parcel this keyset cannot
     * open (another installation's keyset, a damaged or altered blob, one of another upgrade or key).
     */
    public static InstallationKeyset unwrap(InstallationKeyset mine, Parcel parcel) {
        byte[] material;
        try {
            material = mine.aead().decrypt(parcel.wrapped(),
                    associatedData(parcel.upgradeId(), parcel.keyId(), parcel.wrappingKeyId(), parcel.fingerprintAfter()));
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "This node's keyset (" + KeysetFingerprint.short12(mine.fingerprint())
                    + ") cannot open the new key " + parcel.keyId() + " of cluster upgrade " + parcel.upgradeId() + " (wrapped under key "
                    + parcel.wrappingKeyId() + "): the parcel was altered, or this node holds another keyset than the one the primary"
                    + " rotated from (" + KeysetFingerprint.short12(parcel.fingerprintBefore()) + "). Nothing was changed on this node.", e);
        }
        try {
            Keyset.Key key = Keyset.Key.parseFrom(material, ExtensionRegistryLite.getEmptyRegistry());
            if (unsigned(key.getKeyId()) != parcel.keyId() || key.getStatus() != KeyStatusType.ENABLED) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The key opened from cluster upgrade " + parcel.upgradeId()
                        + " is key " + unsigned(key.getKeyId()) + " (" + key.getStatus() + "), not the enabled key " + parcel.keyId()
                        + " announced. Nothing was changed on this node.");
            }
            Keyset own = proto(mine.handle());
            Keyset next = withoutKey(own, key.getKeyId()).toBuilder().addKey(key).setPrimaryKeyId(key.getKeyId()).build();
            InstallationKeyset result = new InstallationKeyset(parse(next));
            if (!result.fingerprint().equals(parcel.fingerprintAfter())) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "With key " + parcel.keyId() + " added, this node's keyset would be "
                        + KeysetFingerprint.short12(result.fingerprint()) + ", not the primary's " + KeysetFingerprint.short12(parcel.fingerprintAfter())
                        + ": this node's keyset differs from the one the primary rotated from (" + KeysetFingerprint.short12(parcel.fingerprintBefore())
                        + "). Nothing was changed on this node.");
            }
            return result;
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The key opened from cluster upgrade " + parcel.upgradeId()
                    + " is not a Tink key: " + e.getMessage() + ". Nothing was changed on this node.", e);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /** Binds a blob to its upgrade, key, wrapping key and resulting keyset: any other use of it fails to decrypt. */
    static byte[] associatedData(long upgradeId, long keyId, long wrappingKeyId, String fingerprintAfter) {
        return String.join("\n", DOMAIN, Long.toString(upgradeId), Long.toString(keyId), Long.toString(wrappingKeyId), fingerprintAfter)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Keyset withoutKey(Keyset keyset, int keyId) {
        Keyset.Builder b = keyset.toBuilder().clearKey();
        keyset.getKeyList().stream().filter(k -> k.getKeyId() != keyId).forEach(b::addKey);
        return b.build();
    }

    private static String fingerprint(Keyset keyset) {
        return KeysetFingerprint.of(parse(keyset));
    }

    // The key material passes through these two only in memory, between the sealed file and the AEAD.
    private static Keyset proto(KeysetHandle handle) {
        try {
            return Keyset.parseFrom(TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get(), RegistryConfiguration.get()),
                    ExtensionRegistryLite.getEmptyRegistry());
        } catch (GeneralSecurityException | IOException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot read the keyset's keys: " + e.getMessage(), e);
        }
    }

    private static KeysetHandle parse(Keyset keyset) {
        try {
            return TinkProtoKeysetFormat.parseKeyset(keyset.toByteArray(), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot build a keyset: " + e.getMessage(), e);
        }
    }

    private static long unsigned(int keyId) {
        return Integer.toUnsignedLong(keyId);
    }
}
