package io.lockbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * The status page's stylesheet and script, each served under a name that carries the first 12 hex
 * digits of the SHA-256 of its bytes (/assets/lockbox-0123456789ab.css). A browser may keep such a
 * file for ever: another content is another name, which the page (never cached without revalidation)
 * names. So an upgrade needs no "clear the browser cache": the new page names the new files, and an
 * old name is answered 404, never with a file it does not name.
 *
 * <p>The files are resources of lockbox.jar (io/lockbox/web). Every release carries the same jar
 * (see {@link ReleaseFeatures}), so the release decides the one part of the stylesheet that differs
 * between releases: a first line with the release and its accent colour.
 */
final class HashedAssets {
    static final String PREFIX = "/assets/";
    private static final String RESOURCES = "/io/lockbox/web/";
    private static final int HASH_HEX_DIGITS = 12;

    /** One file as served: its bytes and its Content-Type. */
    record Asset(byte[] bytes, String contentType) {}

    private final String stylesheet;
    private final String script;
    private final Map<String, Asset> byPath;

    private HashedAssets(String stylesheet, Asset css, String script, Asset js) {
        this.stylesheet = stylesheet;
        this.script = script;
        this.byPath = Map.of(stylesheet, css, script, js);
    }

    /** Reads the resources and hashes them: once, at start-up. */
    static HashedAssets forRelease(String version) {
        byte[] css = (releaseStyle(version) + new String(resource("lockbox.css"), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        byte[] js = resource("lockbox.js");
        return new HashedAssets(hashedPath("lockbox", css, ".css"), new Asset(css, "text/css; charset=utf-8"),
                hashedPath("lockbox", js, ".js"), new Asset(js, "text/javascript; charset=utf-8"));
    }

    /** The stylesheet's path, e.g. /assets/lockbox-0123456789ab.css. */
    String stylesheet() {
        return stylesheet;
    }

    /** The script's path, e.g. /assets/lockbox-0123456789ab.js. */
    String script() {
        return script;
    }

    /** The asset served at this request path, or null: an old or unknown name is not served. */
    Asset find(String path) {
        return byPath.get(path);
    }

    static String hashedPath(String stem, byte[] bytes, String extension) {
        return PREFIX + stem + "-" + sha256Hex(bytes).substring(0, HASH_HEX_DIGITS) + extension;
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java runtime has no SHA-256, which every Java SE runtime must have", e);
        }
    }

    /**
     * The release's part of the stylesheet: a comment naming the release, and the accent colour of its
     * major version (1 blue, 2 green, 3 and later purple), which the page's heading and border show.
     */
    static String releaseStyle(String version) {
        int major = Integer.parseInt(version.split("\\.")[0]);
        String accent = major <= 1 ? "#2b6cb0" : major == 2 ? "#2f855a" : "#6b46c1";
        return "/* Lockbox " + version + " */\n:root { --accent: " + accent + "; }\n";
    }

    private static byte[] resource(String name) {
        try (InputStream in = HashedAssets.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new LockboxException(LockboxException.CONFIGURATION, "lockbox.jar lacks the resource " + RESOURCES + name
                        + "; the jar is incomplete: rebuild it (mvn package) or reinstall the release's program files.");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new LockboxException(LockboxException.CONFIGURATION, "Cannot read the resource " + RESOURCES + name + " of lockbox.jar: " + e.getMessage(), e);
        }
    }
}
