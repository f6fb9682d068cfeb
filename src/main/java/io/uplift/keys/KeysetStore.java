package io.uplift.keys;

import io.uplift.api.KeyEnvironment;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes one keyset file. The file is a {@link KeysetEnvelope}: the Tink keyset
 * encrypted with a master key that never lies beside it (a key file elsewhere, an environment
 * variable or a passphrase, see {@link MasterKeySource}), readable by its owner only (mode 600).
 * The keyset is never written, logged or printed in clear.
 *
 * <p>Every write is told its {@link KeysetSeal} and every read its {@link KeyEnvironment}: the
 * store never looks a master key up on its own, so which key seals a file is always the caller's
 * visible choice (the seal the file was opened with, or a new one from {@link #newSeal}).
 */
public final class KeysetStore {
    private final Path file;

    private KeysetStore(Path file) {
        this.file = file;
    }

    public static KeysetStore of(Path file) {
        return new KeysetStore(file);
    }

    public Path file() {
        return file;
    }

    /**
     * Reads and opens the sealed keyset. Refuses, with what to do and nothing changed: a missing or
     * truncated file, one edited by hand (integrity check), a wrong master key or passphrase, a key
     * file others can read, and a keyset still in clear from before encryption at rest.
     */
    public SealedKeyset open(KeyEnvironment env) {
        KeysetEnvelope.Opened opened = KeysetEnvelope.open(file, env);
        KeysetEnvelope.Header header = opened.header();
        InstallationKeyset keyset = new InstallationKeyset(opened.handle());
        if (!header.fingerprint().equals(keyset.fingerprint())) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The keyset " + file + " does not match its own header"
                    + " (fingerprint " + KeysetFingerprint.short12(keyset.fingerprint()) + ", header "
                    + KeysetFingerprint.short12(header.fingerprint()) + "). Restore config/keyset.json from this node's backup.");
        }
        return new SealedKeyset(keyset, new KeysetSeal(header.source(), opened.masterKey()));
    }

    /**
     * Generates a new keyset and writes it, sealed with the master key of {@code source}; a key file
     * that does not exist yet is made (32 random bytes, mode 600). See {@link #create(InstallationKeyset, MasterKeySource, KeyEnvironment)}.
     */
    public SealedKeyset create(MasterKeySource source, KeyEnvironment env) {
        return create(InstallationKeyset.generate(), source, env);
    }

    /**
     * Writes {@code keyset} as a new file sealed with {@code source}. Refuses to replace an existing
     * file: a lost keyset makes every encrypted value unreadable.
     */
    public SealedKeyset create(InstallationKeyset keyset, MasterKeySource source, KeyEnvironment env) {
        if (Files.exists(file)) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The keyset " + file
                    + " already exists; Uplift never replaces a keyset except by key rotation. Load it instead,"
                    + " or move it away if it really belongs to no installation.");
        }
        KeysetSeal seal = newSeal(source, env);
        write(keyset, seal);
        return new SealedKeyset(keyset, seal);
    }

    /** Writes the keyset atomically (replacing the file if present), sealed with {@code seal}, readable by the owner only. */
    public void write(InstallationKeyset keyset, KeysetSeal seal) {
        byte[] sealed = KeysetEnvelope.seal(keyset.handle(), keyset.fingerprint(), keyset.primaryKeyId(), seal.source(), seal.key());
        try {
            DurableFiles.replaceKeepingOwner(file, sealed);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot write the keyset " + file + ": "
                    + e.getMessage() + ". Check that the folder exists and is writable.", e);
        }
    }

    /**
     * The seal of {@code source} for this file: a key file is read, or made when missing (never
     * beside the keyset it protects); a variable or passphrase is looked up in {@code env}.
     */
    public KeysetSeal newSeal(MasterKeySource source, KeyEnvironment env) {
        if (source instanceof MasterKeySource.KeyFile f) {
            Path keysetDir = file.toAbsolutePath().normalize().getParent();
            if (f.path().startsWith(keysetDir)) {
                throw new UpliftException(ErrorCode.USAGE, "The master key file " + f.path() + " would lie in " + keysetDir
                        + ", beside the keyset it protects: anyone who copies that folder would have both. Choose a key file"
                        + " outside it, e.g. /etc/uplift/master.key or a sibling of the home.");
            }
            return new KeysetSeal(source, MasterKeys.createKeyFile(f.path(), file));
        }
        return new KeysetSeal(source, MasterKeys.resolve(source, env, file));
    }

    /**
     * Where a keyset's master key file goes when the caller names none: beside the home, never in
     * it ({@code HOME/config/keyset.json} gets {@code HOME.master-key}).
     */
    public MasterKeySource defaultKeyFile() {
        return MasterKeySource.keyFile(MasterKeys.defaultKeyFile(file));
    }
}
