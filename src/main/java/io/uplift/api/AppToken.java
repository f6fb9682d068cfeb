package io.uplift.api;

/**
 * One app token as the product's table holds it; never the token itself, which only its hash records.
 *
 * @param createdAt  ISO-8601 instant, or null when the catalog declares no created column
 * @param lastUsedAt ISO-8601 instant, or null when never used (or no last-used column is declared)
 */
public record AppToken(String name, String format, String description, String scope, String createdAt, String lastUsedAt,
        boolean deprecated) {}
