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
import io.uplift.db.Sha256;
import io.uplift.journal.DurableFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Optional;

/**
 * The encryption keyset of one installation ({@code config/keyset.json}): a Tink AEAD keyset whose
 * primary key encrypts the product's secret columns. The file is node-local; it is created once and
 * replaced only by key rotation.
 *
 * <p>The file is a {@link KeysetEnvelope}: the Tink keyset encrypted with a master key that never
 * lies beside it (a key file elsewhere, an environment variable or a passphrase, see
 * {@link MasterKeySource}); readable by its owner only (mode 600). The keyset is never written,
 * logged or printed in clear.
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
    /** The master key this keyset was read or written with; null for a keyset only generated in memory. */
    private final Protection protection;

    /** The master key source and the key itself, kept to write the keyset again after a change. */
    private record Protection(MasterKeySource source, MasterKey key) {}

    private InstallationKeyset(KeysetHandle handle) {
        this(handle, null);
    }

    private InstallationKeyset(KeysetHandle handle, Protection protection) {
        this.handle = handle;
        this.protection = protection;
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
     * Generates a new keyset and writes it to {@code file}, sealed with a new master key file at the
     * default place beside the home ({@code HOME/config/keyset.json} gets {@code HOME.master-key}; an
     * existing key file there is used). Refuses to replace an existing file: a lost keyset makes
     * every encrypted value unreadable.
     */
    public static InstallationKeyset create(Path file) {
        return create(file, MasterKeySource.keyFile(MasterKeys.defaultKeyFile(file)), KeyEnvironment.system());
    }

    /**
     * Generates a new keyset and writes it to {@code file}, sealed with the master key of
     * {@code source}; a key file that does not exist yet is made (32 random bytes, mode 600).
     */
    public static InstallationKeyset create(Path file, MasterKeySource source, KeyEnvironment env) {
        if (Files.exists(file)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The keyset " + file
                    + " already exists; Uplift never replaces a keyset except by key rotation. Load it instead,"
                    + " or move it away if it really belongs to no installation.");
        }
        InstallationKeyset keyset = new InstallationKeyset(generate().handle, protection(file, source, env));
        keyset.writeTo(file);
        return keyset;
    }

    /** Reads a keyset written by {@link #writeTo(Path)}, getting its master key from the process environment or the terminal. */
    public static InstallationKeyset load(Path file) {
        return load(file, KeyEnvironment.system());
    }

    /**
     * Reads and opens a sealed keyset. Refuses, with what to do and nothing changed: a missing or
     * truncated file, one edited by hand (integrity check), a wrong master key or passphrase, a key
     * file others can read, and a keyset still in clear from before encryption at rest.
     */
    public static InstallationKeyset load(Path file, KeyEnvironment env) {
        KeysetEnvelope.Opened opened = KeysetEnvelope.open(file, env);
        KeysetEnvelope.Header header = opened.header();
        InstallationKeyset keyset = new InstallationKeyset(opened.handle(), new Protection(header.source(), opened.masterKey()));
        if (!header.fingerprint().equals(keyset.fingerprint)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The keyset " + file + " does not match its own header"
                    + " (fingerprint " + short12(keyset.fingerprint) + ", header " + short12(header.fingerprint()) + "). Restore"
                    + " config/keyset.json from this node's backup.");
        }
        return keyset;
    }

    /**
     * Writes the keyset to {@code file} atomically (replacing it if present), sealed and readable by
     * the owner only. It is sealed with the master key it was loaded or created with; a keyset only
     * generated in memory takes the master key of the file it replaces, or a new default key file.
     */
    public void writeTo(Path file) {
        Protection p = protection != null ? protection : protectionFor(file);
        byte[] sealed = KeysetEnvelope.seal(handle, fingerprint, primaryKeyId(), p.source(), p.key());
        try {
            DurableFiles.replaceKeepingOwner(file, sealed);
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
                    .build(), protection);
        } catch (GeneralSecurityException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot add a key to the keyset: " + e.getMessage(), e);
        }
    }

    /** The Tink handle, for key rotation. */
    public KeysetHandle handle() {
        return handle;
    }

    /** Where this keyset's master key comes from; empty for a keyset only generated in memory. */
    public Optional<MasterKeySource> masterKeySource() {
        return Optional.ofNullable(protection).map(Protection::source);
    }

    /**
     * Seals the keyset {@code file} with the master key of {@code target} ('uplift keys protect'):
     * a keyset still in clear from before encryption at rest is sealed for the first time; a sealed
     * one (opened with {@code env}) moves to another master key source. Written atomically.
     */
    public static InstallationKeyset protect(Path file, MasterKeySource target, KeyEnvironment env) {
        InstallationKeyset current = LegacyKeyset.isCleartext(file)
                ? new InstallationKeyset(LegacyKeyset.read(file)) : load(file, env);
        InstallationKeyset sealed = new InstallationKeyset(current.handle, protection(file, target, env));
        sealed.writeTo(file);
        return sealed;
    }

    /** The keyset {@link #protect} would seal, read but not written: a keyset in clear, or a sealed one opened with {@code env}. */
    public static InstallationKeyset protectPreview(Path file, KeyEnvironment env) {
        return LegacyKeyset.isCleartext(file) ? new InstallationKeyset(LegacyKeyset.read(file)) : load(file, env);
    }

    private static Protection protection(Path keysetFile, MasterKeySource source, KeyEnvironment env) {
        if (source instanceof MasterKeySource.KeyFile f) {
            Path keysetDir = keysetFile.toAbsolutePath().normalize().getParent();
            if (f.path().startsWith(keysetDir)) {
                throw new UpliftException(ErrorCode.USAGE, "The master key file " + f.path() + " would lie in " + keysetDir
                        + ", beside the keyset it protects: anyone who copies that folder would have both. Choose a key file"
                        + " outside it, e.g. /etc/uplift/master.key or a sibling of the home.");
            }
            return new Protection(source, MasterKeys.createKeyFile(f.path(), keysetFile));
        }
        return new Protection(source, MasterKeys.resolve(source, env, keysetFile));
    }

    private static Protection protectionFor(Path file) {
        if (Files.exists(file)) {
            InstallationKeyset existing = load(file);
            return existing.protection;
        }
        return protection(file, MasterKeySource.keyFile(MasterKeys.defaultKeyFile(file)), KeyEnvironment.system());
    }

    static String short12(String fingerprint) {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
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
            MessageDigest outer = Sha256.newDigest();
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
                        outer.update(Sha256.newDigest().digest(key.getKeyData().getValue().toByteArray()));
                    });
            return Sha256.finish(outer);
        } catch (GeneralSecurityException | IOException e) {
            throw new UpliftException(ErrorCode.INTERNAL, "Cannot compute the keyset fingerprint: " + e.getMessage(), e);
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
