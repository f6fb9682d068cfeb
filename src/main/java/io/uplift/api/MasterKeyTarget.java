package io.uplift.api;

import java.nio.file.Path;

/**
 * Where 'uplift keys protect' is to take the keyset's new master key from: a key file outside the
 * home's config/, an environment variable, or a passphrase. A plain choice: the Argon2id salt of a
 * passphrase is made by the keys package when it seals.
 */
public sealed interface MasterKeyTarget {
    /** The variable a {@link Passphrase} is read from unless the operator is asked on the terminal. */
    String PASSPHRASE_VARIABLE = "UPLIFT_KEYSET_PASSPHRASE";

    /** A file of 32 random bytes (made when missing), readable by its owner only, outside config/. */
    record KeyFile(Path path) implements MasterKeyTarget {
        public KeyFile {
            if (path == null) {
                throw new UpliftException(ErrorCode.USAGE, "--key-file needs a FILE: pass a path outside config/, e.g. /etc/uplift/master.key.");
            }
            path = path.toAbsolutePath().normalize();
        }

        @Override
        public String describe() {
            return "the key file " + path;
        }
    }

    /** An environment variable holding the base64 of 32 bytes. */
    record Environment(String variable) implements MasterKeyTarget {
        public Environment {
            if (variable == null || variable.isBlank()) {
                throw new UpliftException(ErrorCode.USAGE, "--key-env needs the name of an environment variable, such as"
                        + " UPLIFT_MASTER_KEY.");
            }
        }

        @Override
        public String describe() {
            return "the environment variable " + variable;
        }
    }

    /** A passphrase, from {@code variable} or else asked on the terminal. */
    record Passphrase(String variable) implements MasterKeyTarget {
        @Override
        public String describe() {
            return "the passphrase ($" + variable + ", or asked on the terminal)";
        }
    }

    static MasterKeyTarget passphrase() {
        return new Passphrase(PASSPHRASE_VARIABLE);
    }

    /** For messages: where the key comes from, without any secret. */
    String describe();
}
