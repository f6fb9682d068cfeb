package io.lockbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * App tokens (table app_tokens, formats in the catalog's product.yaml "tokens"): the token is the
 * format's prefix and random bytes; only its SHA-256 in lower-case hex is stored, never the token.
 */
final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    static String newToken(ReleaseFeatures.TokenFormat format) {
        byte[] bytes = new byte[format.randomBytes()];
        RANDOM.nextBytes(bytes);
        return format.prefix() + (format.base64url() ? Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
                : HexFormat.of().formatHex(bytes));
    }

    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }

    /** Inserts a new token's hash; the caller shows the token once. */
    static void insert(Connection conn, String name, String scope, ReleaseFeatures.TokenFormat format, String hash) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO app_tokens (name, description, scope, token_hash, format)"
                + " VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, "Created with 'lockbox token create'");
            ps.setString(3, scope);
            ps.setString(4, hash);
            ps.setString(5, format.name());
            ps.executeUpdate();
        }
    }

    /** The token's row id when its hash is known; whether its last use is older than a minute. */
    record Match(long id, boolean lastUseStale) {}

    static Match find(Connection conn, String hash) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT id, last_used_at IS NULL OR last_used_at < now() - interval '1 minute'"
                + " FROM app_tokens WHERE token_hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Match(rs.getLong(1), rs.getBoolean(2)) : null;
            }
        }
    }

    static void touch(Connection conn, long id) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("UPDATE app_tokens SET last_used_at = now() WHERE id = ?"
                + " AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }
}
