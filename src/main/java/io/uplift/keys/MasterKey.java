package io.uplift.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit key that encrypts the installation keyset at rest. It never goes to disk beside the
 * keyset: it comes from a key file elsewhere, an environment variable or a passphrase (see
 * {@link MasterKeySource}). {@link #toString()} shows nothing of it.
 */
final class MasterKey {
    static final int BYTES = 32;
    private static final byte[] CHECK_LABEL = "uplift master key check v1".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;

    private MasterKey(byte[] key) {
        this.key = key.clone();
    }

    static MasterKey of(byte[] key) {
        if (key.length != BYTES) {
            throw new IllegalArgumentException("a master key has " + BYTES + " bytes, not " + key.length);
        }
        return new MasterKey(key);
    }

    static MasterKey random() {
        byte[] bytes = new byte[BYTES];
        new SecureRandom().nextBytes(bytes);
        MasterKey k = new MasterKey(bytes);
        Arrays.fill(bytes, (byte) 0);
        return k;
    }

    /** The AEAD (AES-256-GCM) that seals the keyset. */
    Aead aead() {
        try {
            return new AesGcmJce(key);
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "AES-256-GCM is not available in this Java runtime: " + e.getMessage(), e);
        }
    }

    /**
     * A short public value that tells whether a key is the one a keyset was sealed with, so that a
     * wrong key is reported as such rather than as a damaged file: the first 8 bytes of an
     * HMAC-SHA256 under the key. It reveals nothing usable about a 256-bit key, and for a
     * passphrase it allows no cheaper guessing than the sealed keyset itself does (both need the
     * Argon2id derivation per guess).
     */
    String check() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(Arrays.copyOf(mac.doFinal(CHECK_LABEL), 8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("Every Java runtime provides HmacSHA256", e);
        }
    }

    /** The raw key, for writing a new key file only. */
    byte[] bytes() {
        return key.clone();
    }

    @Override
    public String toString() {
        return "MasterKey[check=" + check() + "]";
    }
}
