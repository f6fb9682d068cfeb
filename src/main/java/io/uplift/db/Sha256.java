package io.uplift.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one SHA-256-to-lower-case-hex of Uplift: catalogs, manifests, keyset fingerprints, backups and
 * exports all record checksums in this form, and they must agree byte for byte. It lives in
 * {@code io.uplift.db} because that package depends on nothing but {@code io.uplift.api}, so every
 * other package (journal included, which already uses {@code db.OsUser}) can use it without a cycle.
 */
public final class Sha256 {
    private static final int BUFFER = 1 << 16;

    private Sha256() {}

    /** A fresh digest, for callers that hash as they write or frame several parts into one hash. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Completes {@code digest} (it is reset) and returns its value in lower-case hex. */
    public static String finish(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    /** Of the text's UTF-8 bytes. */
    public static String hex(String text) {
        return hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads {@code in} to its end in pieces (never whole into memory); the caller closes it. */
    public static String hex(InputStream in) throws IOException {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[BUFFER];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return finish(digest);
    }

    /** Of a file's content, streamed; {@code options} as for {@link Files#newInputStream} (NOFOLLOW_LINKS refuses a link). */
    public static String hex(Path file, LinkOption... options) throws IOException {
        try (InputStream in = Files.newInputStream(file, options)) {
            return hex(in);
        }
    }
}
