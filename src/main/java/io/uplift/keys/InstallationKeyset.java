package io.uplift.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.proto.Keyset;
import com.google.protobuf.ExtensionRegistryLite;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.nio.ByteBuffer;
import io.uplift.journal.DurableFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * The encryption keyset of one installation ({@code config/keyset.json}): a Tink AEAD keyset whose
 * primary key encrypts the product's secret columns. The file is node-local; it is created once and
 * replaced only by key rotation.
 *
 * <p>The file holds Tink's cleartext JSON keyset, readable by its owner only (mode 600); encrypted
 * at rest: issue 5.
 *
 * <p>Instances are immutable: rotation produces a new instance rather than changing this one.
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

    private InstallationKeyset(KeysetHandle handle) {
        this.handle = handle;
        try {
            this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID,
                    "The keyset holds no usable AEAD key: " + e.getMessage(), e);
        }
        this.fingerprint = computeFingerprint(handle);
    }

    /** A new keyset with one AES256-GCM key, in memory only. */
    public static InstallationKeyset generate() {
        try {
            return new InstallationKeyset(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM, RegistryConfiguration.get()));
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot generate an AES256-GCM keyset: " + e.getMessage(), e);
        }
    }

    /**
     * Generates a new keyset and writes it to {@code file}. Refuses to replace an existing file: a
     * lost keyset makes every encrypted value unreadable.
     */
    public static InstallationKeyset create(Path file) {
        if (Files.exists(file)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The keyset " + file
                    + " already exists; Uplift never replaces a keyset except by key rotation. Load it instead,"
                    + " or move it away if it really belongs to no installation.");
        }
        InstallationKeyset keyset = generate();
        keyset.writeTo(file);
        return keyset;
    }

    /** Reads a keyset written by {@link #writeTo(Path)}. */
    public static InstallationKeyset load(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The keyset " + file
                    + " does not exist. Restore it from the installation's backup; without it the encrypted"
                    + " values cannot be read.", e);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID,
                    "Cannot read the keyset " + file + ": " + e.getMessage(), e);
        }
        try {
            return new InstallationKeyset(TinkJsonProtoKeysetFormat.parseKeyset(json, RegistryConfiguration.get(), InsecureSecretKeyAccess.get()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The keyset " + file
                    + " is not a valid Tink JSON keyset (" + e.getMessage() + "). Restore it from the backup.", e);
        }
    }

    /** Writes the keyset to {@code file} atomically (replacing it if present), readable by the owner only. */
    public void writeTo(Path file) {
        String json;
        try {
            json = TinkJsonProtoKeysetFormat.serializeKeyset(handle, RegistryConfiguration.get(), InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot serialize the keyset: " + e.getMessage(), e);
        }
        try {
            DurableFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot write the keyset " + file + ": "
                    + e.getMessage() + ". Check that the folder exists and is writable.", e);
        }
    }

    /** The AEAD primitive: encrypts with the primary key, decrypts with any key of the keyset. */
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

    /**
     * A lower-case hex SHA-256 that identifies the keyset's contents: two nodes with the same
     * fingerprint hold the same keys. It covers each key's id, status, type and a SHA-256 digest of
     * its material, never the material itself, so it can be logged and compared across nodes.
     */
    public String fingerprint() {
        return fingerprint;
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

    /** The Tink handle, for key rotation. */
    public KeysetHandle handle() {
        return handle;
    }

    @Override
    public String toString() {
        return "InstallationKeyset[primaryKeyId=" + primaryKeyId() + ", fingerprint=" + fingerprint + "]";
    }

    private static String computeFingerprint(KeysetHandle handle) {
        try {
            Keyset keyset = Keyset.parseFrom(
                    TinkProtoKeysetFormat.serializeKeyset(handle, InsecureSecretKeyAccess.get(), RegistryConfiguration.get()),
                    ExtensionRegistryLite.getEmptyRegistry());
            MessageDigest outer = sha256();
            outer.update("uplift-keyset-fingerprint-v1".getBytes(StandardCharsets.US_ASCII));
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
                        outer.update(sha256().digest(key.getKeyData().getValue().toByteArray()));
                    });
            return HexFormat.of().formatHex(outer.digest());
        } catch (GeneralSecurityException | IOException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot compute the keyset fingerprint: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

    // ---- issue 5, key rotation (retirement): added at the end so the keyset-at-rest change merges cleanly.

    /**
     * The same keyset with the keys {@code keyIds} disabled: they no longer decrypt, but stay in the
     * file, so an operator can enable one again by hand if a forgotten value turns up. Refuses to
     * disable the primary.
     */
    public InstallationKeyset withDisabled(java.util.Collection<Long> keyIds) {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(handle);
            for (int i = 0; i < builder.size(); i++) {
                KeysetHandle.Builder.Entry entry = builder.getAt(i);
                if (keyIds.contains(Integer.toUnsignedLong(handle.getAt(i).getId()))) {
                    if (entry.isPrimary()) {
                        throw new UpliftException(ErrorCode.INTERNAL, "Refusing to disable the primary key " + primaryKeyId() + ".");
                    }
                    entry.setStatus(com.google.crypto.tink.KeyStatus.DISABLED);
                }
            }
            return new InstallationKeyset(builder.build());
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot disable keys of the keyset: " + e.getMessage(), e);
        }
    }
}
