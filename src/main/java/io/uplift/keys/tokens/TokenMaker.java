package io.uplift.keys.tokens;

import io.uplift.catalog.TokenTable.TokenFormat;
import io.uplift.db.Sha256;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Makes new tokens of a catalog format, and the hash the product stores instead of them. */
public final class TokenMaker {
    private final SecureRandom random;

    public TokenMaker(SecureRandom random) {
        this.random = random;
    }

    /** The format's prefix followed by its count of random bytes in its encoding. */
    public String make(TokenFormat format) {
        byte[] bytes = new byte[format.randomBytes()];
        random.nextBytes(bytes);
        String body = format.encoding().equals("base64url") ? Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
                : HexFormat.of().formatHex(bytes);
        return format.prefix() + body;
    }

    /** SHA-256 of the token's UTF-8 bytes in lower-case hex: the catalog's {@code hash: sha256-hex}. */
    public static String sha256Hex(String token) {
        return Sha256.hex(token);
    }
}
