package io.lockbox;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The node's installation folder, as Uplift lays it out: app/ (the program files of one release, with
 * app/VERSION), config/ (node-local: database.properties, lockbox.properties, keyset.json), data/
 * (this log, the pid and ready files) and .uplift/ (Uplift's own).
 */
record NodeHome(Path root) {
    static final String DATABASE_FILE = "config/database.properties";
    static final String SERVICE_FILE = "config/lockbox.properties";
    static final String KEYSET_FILE = "config/keyset.json";

    NodeHome {
        root = root.toAbsolutePath().normalize();
    }

    Path path(String relative) {
        return root.resolve(relative);
    }

    Path data() {
        return root.resolve("data");
    }

    Path keyset() {
        return path(KEYSET_FILE);
    }

    /** The version of the release in app/: it decides which schema this code expects. */
    String version() {
        Path file = path("app/VERSION");
        try {
            String v = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (!v.matches("\\d+(\\.\\d+)*")) {
                throw new LockboxException(LockboxException.CONFIGURATION, "The release version in " + file + " is '" + v
                        + "', not a version such as 3.0. app/ holds the program files Uplift installed: reinstall them (uplift resume or upgrade).");
            }
            return v;
        } catch (IOException e) {
            throw new LockboxException(LockboxException.CONFIGURATION, "Cannot read the release version " + file + ": " + e.getMessage()
                    + ". Run Lockbox with --home set to the installation folder (the one holding app/ and config/).", e);
        }
    }

    /** HOME/config/database.properties: url, user, password (written by the installer, or by Uplift on a database move). */
    DatabaseConfig database() {
        Properties p = properties(DATABASE_FILE);
        String primary = p.getProperty("primary.url", "").strip();
        return new DatabaseConfig(required(p, DATABASE_FILE, "url"), required(p, DATABASE_FILE, "user"), p.getProperty("password", ""),
                primary.isEmpty() ? null : primary);
    }

    /** HOME/config/lockbox.properties: http.port (the service always binds 127.0.0.1), node.role (web by default). */
    ServiceConfig service() {
        Properties p = properties(SERVICE_FILE);
        String port = required(p, SERVICE_FILE, "http.port");
        int n;
        try {
            n = Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 65535) {
            throw new LockboxException(LockboxException.CONFIGURATION, "http.port in " + path(SERVICE_FILE) + " is '" + port
                    + "', not a TCP port from 1 to 65535. Set it to a free port, e.g. http.port=8181.");
        }
        return new ServiceConfig(n, p.getProperty("node.role", "web").strip());
    }

    private Properties properties(String relative) {
        Path file = path(relative);
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (NoSuchFileException e) {
            throw new LockboxException(LockboxException.CONFIGURATION, "The configuration file " + file + " does not exist. "
                    + (relative.equals(SERVICE_FILE) ? "Create it with the line http.port=N (a free port; Lockbox listens on 127.0.0.1 only)."
                            : "This node-local file must exist; restore it from the backup of this node."), e);
        } catch (IOException e) {
            throw new LockboxException(LockboxException.CONFIGURATION, "Cannot read " + file + ": " + e.getMessage()
                    + ". Run Lockbox as the account that owns the installation.", e);
        }
        return p;
    }

    private String required(Properties p, String relative, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new LockboxException(LockboxException.CONFIGURATION, "The configuration file " + path(relative) + " lacks the key '"
                    + key + "'. " + (key.equals("http.port") ? "Add http.port=N (a free port; Lockbox listens on 127.0.0.1 only)."
                            : "The file needs url=jdbc:postgresql://HOST:PORT/DB, user= and password=."));
        }
        return v.strip();
    }

    /**
     * @param primaryUrl null, or (primary.url) the primary server of the mirror that url points at: a node on a
     *                   read-only standby registers there; the same user and password work, a standby having the primary's roles
     */
    record DatabaseConfig(String url, String user, String password, String primaryUrl) {
        @Override
        public String toString() {
            return "DatabaseConfig[url=" + url + ", user=" + user + ", password=***" + (primaryUrl == null ? "" : ", primary.url=" + primaryUrl) + "]";
        }
    }

    record ServiceConfig(int httpPort, String role) {}
}
