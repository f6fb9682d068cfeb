package io.uplift.demo;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.journal.DurableFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Properties;
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

    /** The node's port as the file names it. */
    static String port(Path home) {
        Properties p = new Properties();
        Path file = home.resolve(FILE);
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot read " + file + ": " + e.getMessage(), e);
        }
        String port = p.getProperty("http.port", "");
        if (!port.matches("\\d{1,5}")) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, file + " has no valid http.port (got '" + port + "').");
        }
        return port;
    }
}
