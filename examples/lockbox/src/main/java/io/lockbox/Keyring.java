package io.lockbox;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Encrypts and decrypts secrets.value the way Uplift's demo generator and key rotation do: Tink AEAD
 * with the installation keyset, the row's id in decimal ASCII as associated data (a value copied to
 * another row does not decrypt), and the unsigned id of the primary key in secrets.key_id, so that a
 * rotation can find the values it has not re-encrypted yet.
 *
 * <p>The keyset is an immutable snapshot behind an AtomicReference: a rotation adds a key to
 * keyset.json while Lockbox runs, and the first ciphertext naming a key this snapshot lacks makes it
 * read the file once more and swap the snapshot; requests see the old or the new one, never half.
 * A write first looks at the file's modification time, so that it uses the new primary key at once.
 */
final class Keyring {
    private record Snapshot(Aead aead, long primaryKeyId, Set<Long> keyIds, FileTime modified) {}

    private final Path file;
    private final AtomicReference<Snapshot> current = new AtomicReference<>();

    private Keyring(Path file) {
        this.file = file;
        reload();
    }

    static Keyring load(Path file) {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new LockboxException(LockboxException.KEYSET, "Tink's AEAD is not available in this Java runtime: " + e.getMessage(), e);
        }
        return new Keyring(file);
    }

    private Snapshot reload() {
        FileTime modified = modified();
        KeysetHandle handle = SealedKeysetReader.open(file);
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < handle.size(); i++) {
            ids.add(Integer.toUnsignedLong(handle.getAt(i).getId()));
        }
        try {
            Snapshot s = new Snapshot(handle.getPrimitive(RegistryConfiguration.get(), Aead.class),
                    Integer.toUnsignedLong(handle.getPrimary().getId()), Set.copyOf(ids), modified);
            current.set(s);
            return s;
        } catch (GeneralSecurityException e) {
            throw new LockboxException(LockboxException.KEYSET, "The keyset " + file + " holds no usable AEAD key: " + e.getMessage(), e);
        }
    }

    record Sealed(byte[] ciphertext, long keyId) {}

    /**
     * Encrypts with the primary key of the keyset file as it is now: a rotation makes a new key primary
     * in the file, and a value written with the old one would be left for the rotation to catch up with.
     */
    Sealed encrypt(long secretId, String plaintext) throws GeneralSecurityException {
        Snapshot s = current.get();
        FileTime modified = modified();
        if (modified != null && !modified.equals(s.modified())) {
            s = reload();
        }
        return new Sealed(s.aead().encrypt(plaintext.getBytes(StandardCharsets.UTF_8), associatedData(secretId)), s.primaryKeyId());
    }

    String decrypt(long secretId, byte[] ciphertext) throws GeneralSecurityException {
        Snapshot s = current.get();
        Long keyId = keyIdOf(ciphertext);
        if (keyId != null && !s.keyIds().contains(keyId)) {
            s = reload(); // a key rotation added a key since this snapshot was read: read the file once more
        }
        return new String(s.aead().decrypt(ciphertext, associatedData(secretId)), StandardCharsets.UTF_8);
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null; // being replaced right now: keep the snapshot
        }
    }

    /** The key id a Tink ciphertext names in its 5-byte prefix (0x01, then the id big-endian), or null. */
    private static Long keyIdOf(byte[] c) {
        if (c == null || c.length < 5 || c[0] != 0x01) {
            return null;
        }
        return ((c[1] & 0xffL) << 24) | ((c[2] & 0xffL) << 16) | ((c[3] & 0xffL) << 8) | (c[4] & 0xffL);
    }

    private static byte[] associatedData(long secretId) {
        return Long.toString(secretId).getBytes(StandardCharsets.US_ASCII);
    }
}
