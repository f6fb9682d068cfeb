package io.uplift.keys;

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
    String PASSPHRASE_VARIABLE = "UPLIFT_KEYSET_PASSPHRASE";

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
        public String describe() {
            return "the key file " + path;
        }
    }

    /** An environment variable holding the base64 of 32 bytes. */
    record Environment(String variable) implements MasterKeySource {
        @Override
        public String kind() {
            return "environment";
        }

        @Override
        public String describe() {
            return "the environment variable " + variable;
        }
    }

    /** A passphrase (from {@code variable}, else asked on the terminal), stretched with Argon2id. */
    record Passphrase(String variable, Argon2Kdf kdf) implements MasterKeySource {
        @Override
        public String kind() {
            return "passphrase";
        }

        @Override
        public String describe() {
            return "the passphrase ($" + variable + ", or asked on the terminal)";
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

    /** "key-file", "environment" or "passphrase", as in the header. */
    String kind();

    /** For messages: where the key comes from, without any secret. */
    String describe();
}
