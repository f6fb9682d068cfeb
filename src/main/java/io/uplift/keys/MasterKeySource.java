package io.uplift.keys;

import io.uplift.api.MasterKeyTarget;
import java.nio.file.Path;

/**
 * Where the master key of an installation keyset comes from. The keyset file's header records the
 * source (never the key): the kind, the key file's path or the variable's name, and for a
 * passphrase the Argon2id parameters and salt.
 */
public sealed interface MasterKeySource {
    /** The default variable of {@link Environment}: the base64 of 32 bytes. */
    String MASTER_KEY_VARIABLE = "UPLIFT_MASTER_KEY";
    /** The default variable of {@link Passphrase}; without it the passphrase is asked on the terminal. */
    String PASSPHRASE_VARIABLE = MasterKeyTarget.PASSPHRASE_VARIABLE;

    /** A file of 32 random bytes (raw, or base64 text), readable by its owner only, outside config/. */
    record KeyFile(Path path) implements MasterKeySource {
        public KeyFile {
            path = path.toAbsolutePath().normalize();
        }

        @Override
        public String kind() {
            return "key-file";
        }

        @Override
        public MasterKeyTarget target() {
            return new MasterKeyTarget.KeyFile(path);
        }
    }

    /** An environment variable holding the base64 of 32 bytes. */
    record Environment(String variable) implements MasterKeySource {
        @Override
        public String kind() {
            return "environment";
        }

        @Override
        public MasterKeyTarget target() {
            return new MasterKeyTarget.Environment(variable);
        }
    }

    /** A passphrase (from {@code variable}, else asked on the terminal), stretched with Argon2id. */
    record Passphrase(String variable, Argon2Kdf kdf) implements MasterKeySource {
        @Override
        public String kind() {
            return "passphrase";
        }

        @Override
        public MasterKeyTarget target() {
            return new MasterKeyTarget.Passphrase(variable);
        }
    }

    static MasterKeySource keyFile(Path path) {
        return new KeyFile(path);
    }

    static MasterKeySource environment() {
        return new Environment(MASTER_KEY_VARIABLE);
    }

    /** A passphrase source with a new random salt and the default Argon2id parameters. */
    static MasterKeySource passphrase() {
        return new Passphrase(PASSPHRASE_VARIABLE, Argon2Kdf.newDefault());
    }

    /**
     * The source an operator chose ('uplift keys protect'); a passphrase gets a new random salt
     * and the default Argon2id parameters.
     */
    static MasterKeySource of(MasterKeyTarget target) {
        if (target instanceof MasterKeyTarget.KeyFile f) {
            return new KeyFile(f.path());
        }
        if (target instanceof MasterKeyTarget.Environment e) {
            return new Environment(e.variable());
        }
        return new Passphrase(((MasterKeyTarget.Passphrase) target).variable(), Argon2Kdf.newDefault());
    }

    /** "key-file", "environment" or "passphrase", as in the header. */
    String kind();

    /** The same choice as the api names it, without the key derivation's parameters. */
    MasterKeyTarget target();

    /** For messages: where the key comes from, without any secret. */
    default String describe() {
        return target().describe();
    }
}
