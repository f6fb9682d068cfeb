package io.uplift.keys;

import java.util.OptionalLong;

/**
 * The key id a Tink ciphertext names in its 5-byte prefix (format byte 0x01, then the key id,
 * big-endian). Verification reads it to prove a value is under the primary key, not merely
 * decryptable by some key of the keyset.
 */
public final class CiphertextKeyId {
    private static final byte TINK_PREFIX = 0x01;
    private static final int PREFIX_SIZE = 5;

    private CiphertextKeyId() {}

    /** The unsigned key id, or empty when the ciphertext has no Tink prefix (a RAW or LEGACY key, or garbage). */
    public static OptionalLong of(byte[] ciphertext) {
        if (ciphertext == null || ciphertext.length < PREFIX_SIZE || ciphertext[0] != TINK_PREFIX) {
            return OptionalLong.empty();
        }
        long id = ((ciphertext[1] & 0xffL) << 24) | ((ciphertext[2] & 0xffL) << 16) | ((ciphertext[3] & 0xffL) << 8) | (ciphertext[4] & 0xffL);
        return OptionalLong.of(id);
    }
}
