package io.uplift.install;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * How the product reaches its database: config/database.properties, a node-local file the product
 * itself reads. Uplift reads it and writes it only when it creates an installation (the demo) or
 * moves the database.
 *
 * <p>{@code primaryUrl} (key primary.url, optional) is for a node whose url points at a mirror, a
 * read-only streaming standby: it names the primary, where such a node's gate registers it and its
 * agent writes the cluster's rows ({@link WritableDatabase}). The same user and password are used
 * there, since a physical standby has the primary's roles.
 */
public record DatabaseSettings(String url, String user, String password, String primaryUrl) {
    public static final String FILE = "config/database.properties";
    public static final String PRIMARY_URL = "primary.url";

    /** Settings of a node whose database is its only one (no primary.url). */
    public DatabaseSettings(String url, String user, String password) {
        this(url, user, password, null);
    }

    public static DatabaseSettings read(Path home) {
        Path file = home.resolve(FILE);
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cannot read the database settings " + file + ": "
                    + e.getMessage() + ". This node-local file must exist; restore it from the backup of this node.", e);
        }
        String url = p.getProperty("url");
        String user = p.getProperty("user");
        if (url == null || url.isBlank() || user == null || user.isBlank()) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The database settings " + file
                    + " lack '" + (url == null || url.isBlank() ? "url" : "user") + "'; the file needs url=jdbc:postgresql://HOST:PORT/DB, user= and password=.");
        }
        String primary = p.getProperty(PRIMARY_URL, "").trim();
        if (!primary.isEmpty() && !primary.startsWith("jdbc:postgresql:")) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The database settings " + file + " have " + PRIMARY_URL + "="
                    + primary + ", not a PostgreSQL JDBC URL; write " + PRIMARY_URL + "=jdbc:postgresql://HOST:PORT/DB (the primary"
                    + " of the standby that url points at), or remove the line.");
        }
        return new DatabaseSettings(url.trim(), user.trim(), p.getProperty("password", ""), primary.isEmpty() ? null : primary);
    }

    /** The same user and password on the primary named by primary.url; empty when there is none. */
    public java.util.Optional<DatabaseSettings> primary() {
        return primaryUrl == null ? java.util.Optional.empty() : java.util.Optional.of(new DatabaseSettings(primaryUrl, user, password));
    }

    /** The file's text; written once by whoever creates the installation. */
    public byte[] toBytes() {
        Properties p = new Properties();
        p.setProperty("url", url);
        p.setProperty("user", user);
        p.setProperty("password", password);
        if (primaryUrl != null) {
            p.setProperty(PRIMARY_URL, primaryUrl);
        }
        StringWriter out = new StringWriter();
        try {
            p.store(out, "Database of this node. Node-local: never copy it to another node.");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // Properties.store writes a date line; drop it so the same settings give the same bytes.
        String text = out.toString().replaceFirst("(?m)^#[A-Z][a-z]{2} [A-Z][a-z]{2} .*\\R", "");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + url + ", user=" + user + ", password=***" + (primaryUrl == null ? "" : ", " + PRIMARY_URL + "=" + primaryUrl) + "]";
    }
}
