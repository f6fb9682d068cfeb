package io.uplift.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's stylesheet and script, served under names that carry their content's hash
 * ("console-1a2b3c4d5e6f.css"): a new Uplift release changes the name, so a browser never runs an old
 * script against new pages and no one has to clear a cache. The files can then be cached for a year.
 */
final class Assets {
    record Asset(String name, String contentType, byte[] bytes) {}

    private final Map<String, Asset> byName = new LinkedHashMap<>();
    private final Map<String, String> nameOf = new LinkedHashMap<>();

    Assets() {
        add("console.css", "text/css; charset=utf-8");
        add("console.js", "text/javascript; charset=utf-8");
    }

    /** The hashed URL path of a source file, e.g. "/assets/console-1a2b3c4d5e6f.css". */
    String url(String source) {
        return "/assets/" + nameOf.get(source);
    }

    Optional<Asset> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    private void add(String source, String contentType) {
        byte[] bytes;
        try (InputStream in = Assets.class.getResourceAsStream("assets/" + source)) {
            if (in == null) {
                throw new IllegalStateException("The console's asset " + source + " is missing from the Uplift jar: rebuild Uplift.");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int dot = source.lastIndexOf('.');
        String name = source.substring(0, dot) + "-" + sha256(bytes).substring(0, 12) + source.substring(dot);
        byName.put(name, new Asset(name, contentType, bytes));
        nameOf.put(source, name);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
