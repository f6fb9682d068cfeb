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
 */
public record DatabaseSettings(String url, String user, String password) {
    public static final String FILE = "config/database.properties";

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
        return new DatabaseSettings(url.trim(), user.trim(), p.getProperty("password", ""));
    }

    /** The file's text; written once by whoever creates the installation. */
    public byte[] toBytes() {
        Properties p = new Properties();
        p.setProperty("url", url);
        p.setProperty("user", user);
        p.setProperty("password", password);
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
        return "DatabaseSettings[url=" + url + ", user=" + user + ", password=***]";
    }
}
