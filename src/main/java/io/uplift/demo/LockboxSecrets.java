package io.uplift.demo;

import java.nio.charset.StandardCharsets;

/**
 * How Lockbox encrypts {@code secrets.value}: Tink AEAD with the installation keyset, the Tink key id
 * in {@code secrets.key_id}, and as associated data the row's {@code id} in decimal ASCII, which
 * binds a ciphertext to its row (a value copied into another row does not decrypt). Re-encryption
 * during key rotation must use the same associated data.
 */
public final class LockboxSecrets {
    private LockboxSecrets() {
    }

    public static byte[] associatedData(long secretId) {
        return Long.toString(secretId).getBytes(StandardCharsets.US_ASCII);
    }
}
