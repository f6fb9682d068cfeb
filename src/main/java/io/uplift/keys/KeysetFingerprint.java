package io.uplift.keys;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.proto.Keyset;
import com.google.protobuf.ExtensionRegistryLite;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Comparator;

/**
 * A lower-case hex SHA-256 that identifies a keyset's contents: two nodes with the same fingerprint
 * hold the same keys. It covers the primary id and each key's id, status, type and a SHA-256 digest
 * of its material, never the material itself, so it can be logged, written in the keyset file's
 * header and in the database ({@link KeysetRecord}), and compared across nodes. The layout is
 * fixed ("v1"): recorded fingerprints must keep matching.
 */
final class KeysetFingerprint {
    private static final byte[] DOMAIN = "uplift-keyset-fingerprint-v1".getBytes(StandardCharsets.US_ASCII);

    private KeysetFingerprint() {}

    static String of(KeysetHandle handle) {
        try {
            // The key material is read only to be digested here; it never leaves this method.
            Keyset keyset = Keyset.parseFrom(
                    TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get(), RegistryConfiguration.get()),
                    ExtensionRegistryLite.getEmptyRegistry());
            MessageDigest outer = Sha256.newDigest();
            outer.update(DOMAIN);
            outer.update(ByteBuffer.allocate(Integer.BYTES).putInt(keyset.getPrimaryKeyId()).array());
            keyset.getKeyList().stream()
                    .sorted(Comparator.comparingLong(key -> Integer.toUnsignedLong(key.getKeyId())))
                    .forEach(key -> {
                        outer.update(ByteBuffer.allocate(3 * Integer.BYTES)
                                .putInt(key.getKeyId())
                                .putInt(key.getStatusValue())
                                .putInt(key.getOutputPrefixTypeValue())
                                .array());
                        outer.update(key.getKeyData().getTypeUrl().getBytes(StandardCharsets.UTF_8));
                        outer.update(Sha256.newDigest().digest(key.getKeyData().getValue().toByteArray()));
                    });
            return Sha256.finish(outer);
        } catch (GeneralSecurityException | IOException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot compute the keyset fingerprint: " + e.getMessage(), e);
        }
    }

    /** The first twelve hex digits, as messages show a fingerprint. */
    static String short12(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
    }
}
