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
 * @param componentFiles for the remote components that authenticate with an app token: the role (worker,
 *                   proxy...) and the node-local file its token lives in, relative to the node's home
 *                   ({@code component-files:}); a cluster upgrade gives such a node a token of the current
 *                   format through its agent when its token's format is deprecated (docs/catalog.md)
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
        String declaredAt,
        Map<String, String> componentFiles) {

    /** The hash Uplift knows how to make: SHA-256 of the token's UTF-8 bytes, in lower-case hex. */
    public static final String SHA256_HEX = "sha256-hex";

    public TokenTable {
        formats = Map.copyOf(formats);
        componentFiles = Map.copyOf(componentFiles);
    }

    /** Without remote components that hold a token of their own. */
    public TokenTable(String table, String nameColumn, Optional<String> descriptionColumn, Optional<String> scopeColumn, String hashColumn,
            String hash, String formatColumn, Optional<String> createdColumn, Optional<String> lastUsedColumn, Map<String, TokenFormat> formats,
            String declaredAt) {
        this(table, nameColumn, descriptionColumn, scopeColumn, hashColumn, hash, formatColumn, createdColumn, lastUsedColumn, formats,
                declaredAt, Map.of());
    }

    /**
     * How a new token of one format is made: {@code prefix} followed by {@code randomBytes} bytes from
     * SecureRandom, written in {@code encoding} (hex, or base64url without padding).
     */
    public record TokenFormat(String prefix, int randomBytes, String encoding) {}
}
