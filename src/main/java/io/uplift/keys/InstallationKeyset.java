package io.uplift.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.security.GeneralSecurityException;
import java.util.Collection;

/**
 * The encryption keyset of one installation as a value: a Tink AEAD keyset whose primary key
 * encrypts the product's secret columns, with its fingerprint. It knows nothing of files or master
 * keys: {@link KeysetStore} reads and writes it ({@code config/keyset.json}), always told which
 * {@link KeysetSeal} to use.
 *
 * <p>Immutable: rotation and retirement return a new value rather than changing this one, so a
 * reader holding the old value keeps a whole keyset. {@link #toString()} never shows key material.
 */
public final class InstallationKeyset {
    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final KeysetHandle handle;
    private final Aead aead;
    private final String fingerprint;

    InstallationKeyset(KeysetHandle handle) {
        this.handle = handle;
        try {
            this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID,
                    "The keyset holds no usable AEAD key: " + e.getMessage(), e);
        }
        this.fingerprint = KeysetFingerprint.of(handle);
    }

    /** A new keyset with one AES256-GCM key, in memory only. */
    public static InstallationKeyset generate() {
        try {
            return new InstallationKeyset(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, RegistryConfiguration.get()));
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot generate an AES256-GCM keyset: " + e.getMessage(), e);
        }
    }

    /** The AEAD primitive: encrypts with the primary key, decrypts with any enabled key of the keyset. */
    public Aead aead() {
        return aead;
    }

    /**
     * The id of the primary key, the one new ciphertexts are made with, as the unsigned 32-bit
     * number Tink uses (the value stored in key-id columns such as {@code secrets.key_id}).
     */
    public long primaryKeyId() {
        return Integer.toUnsignedLong(handle.getPrimary().getId());
    }

    /** Identifies the keyset's contents without revealing them; see {@link KeysetFingerprint}. */
    public String fingerprint() {
        return fingerprint;
    }

    /** The Tink handle, for key rotation and the keys' states ({@link KeysetEntries}). */
    public KeysetHandle handle() {
        return handle;
    }

    /**
     * The same keyset plus a new AES256-GCM key, made primary: new ciphertexts use the new key, and
     * every old one still decrypts, so readers never fail during a rotation.
     */
    public InstallationKeyset withNewPrimary() {
        try {
            return new InstallationKeyset(KeysetHandle.newBuilder(handle)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM).withRandomId().makePrimary())
                    .build());
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot add a key to the keyset: " + e.getMessage(), e);
        }
    }

    /**
     * The same keyset with the keys {@code keyIds} disabled: they no longer decrypt, but stay in the
     * file, so an operator can enable one again by hand if a forgotten value turns up. Refuses to
     * disable the primary.
     */
    public InstallationKeyset withDisabled(Collection<Long> keyIds) {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
            for (int i = 0; i < builder.size(); i++) {
                KeysetHandle.Builder.Entry entry = builder.getAt(i);
                if (keyIds.contains(Integer.toUnsignedLong(handle.getAt(i).getId()))) {
                    if (entry.isPrimary()) {
                        throw new UpliftException(ErrorCode.INTERNAL, "Refusing to disable the primary key " + primaryKeyId() + ".");
                    }
                    entry.setStatus(KeyStatus.DISABLED);
                }
            }
            return new InstallationKeyset(builder.build());
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot disable keys of the keyset: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "InstallationKeyset[primaryKeyId=" + primaryKeyId() + ", fingerprint=" + fingerprint + "]";
    }
}
