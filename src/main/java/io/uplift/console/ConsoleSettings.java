package io.uplift.console;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How 'uplift console' was asked to run.
 *
 * @param bind               the address to listen on: loopback unless a TLS keystore is given
 * @param port               0 picks a free port (tests)
 * @param tlsKeystore        a PKCS#12 keystore holding the certificate and its key; HTTPS when given
 * @param tlsPasswordFile    the keystore's password, in a file only its owner can read (never on the command line)
 * @param adminPasswordFile  the admin password for the first start, in a file only its owner can read
 */
public record ConsoleSettings(Path home, String bind, int port, Optional<Path> tlsKeystore, Optional<Path> tlsPasswordFile,
        Optional<Path> adminPasswordFile) {

    public boolean tls() {
        return tlsKeystore.isPresent();
    }
}
