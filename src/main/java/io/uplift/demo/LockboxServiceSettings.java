package io.uplift.demo;

import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * HOME/config/lockbox.properties of the demo installation: the loopback port Lockbox serves its
 * HTTP API on (http.port; it always binds 127.0.0.1). A file of its own rather than a key in
 * config/database.properties, which a database move rewrites with the new server's settings only.
 * It is not declared a node-local file in product.yaml (yet): Uplift would then require it in every
 * installation it upgrades, the ones made before Lockbox served anything included.
 */
final class LockboxServiceSettings {
    static final String FILE = "config/lockbox.properties";

    private LockboxServiceSettings() {}

    /** Writes the file with a port that is free now; written once, when the demo installs. */
    static void write(Path home) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        String text = "# Lockbox's HTTP API of this node: 127.0.0.1 and this port. Node-local: never copy it to another node.\n"
                + "http.port=" + port + "\n";
        DurableFiles.write(home.resolve(FILE), text.getBytes(StandardCharsets.UTF_8));
    }
}
