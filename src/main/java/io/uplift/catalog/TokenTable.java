package io.uplift.catalog;

import java.util.Map;
import java.util.Optional;

/**
 * Where the product keeps its app tokens and what a token of each format looks like (product.yaml,
 * {@code tokens:}). Uplift never stores a token: the table holds its hash, Uplift prints a new one once.
 *
 * @param declaredAt "product.yaml:LINE" of the declaration, for messages about it found later
 *                   (a column the database lacks)
 * @param formats    every format any release introduces or deprecates, by name
 */
public record TokenTable(
        String table,
        String nameColumn,
        Optional<String> descriptionColumn,
        Optional<String> scopeColumn,
        String hashColumn,
        String hash,
        String formatColumn,
        Optional<String> createdColumn,
        Optional<String> lastUsedColumn,
        Map<String, TokenFormat> formats,
        String declaredAt) {

    /** The hash Uplift knows how to make: SHA-256 of the token's UTF-8 bytes, in lower-case hex. */
    public static final String SHA256_HEX = "sha256-hex";

    public TokenTable {
        formats = Map.copyOf(formats);
    }

    /**
     * How a new token of one format is made: {@code prefix} followed by {@code randomBytes} bytes from
     * SecureRandom, written in {@code encoding} (hex, or base64url without padding).
     */
    public record TokenFormat(String prefix, int randomBytes, String encoding) {}
}
