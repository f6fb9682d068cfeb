package io.uplift.catalog;

import io.uplift.catalog.TokenTable.TokenFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads product.yaml's {@code tokens:} mapping, recording every problem with its line. */
final class TokenTableReader {
    private static final Set<String> FIELDS = Set.of("table", "name-column", "description-column", "scope-column", "hash-column",
            "hash", "format-column", "created-column", "last-used-column", "formats", "component-files");
    private static final Set<String> FORMAT_FIELDS = Set.of("prefix", "random-bytes", "encoding");
    private static final Set<String> ENCODINGS = Set.of("hex", "base64url");
    // Plain lower-case SQL names only: Uplift puts them into statements, so nothing that needs quoting.
    private static final String IDENTIFIER = "[a-z_][a-z0-9_]*";
    private static final int MIN_RANDOM_BYTES = 16;
    private static final int MAX_RANDOM_BYTES = 256;

    private TokenTableReader() {}

    /** Returns the declaration; when it has problems they are recorded and the loader fails later. */
    static TokenTable read(YamlMap m) {
        m.rejectUnknown(FIELDS);
        String table = m.string("table");
        if (table != null && !table.matches(IDENTIFIER + "(\\." + IDENTIFIER + ")?")) {
            m.problem(null, "table", "'" + table + "' must be a plain lower-case table name (letters, digits, _), optionally schema.table");
        }
        Map<String, String> columnFields = new HashMap<>();
        String name = column(m, "name-column", true, columnFields);
        Optional<String> description = Optional.ofNullable(column(m, "description-column", false, columnFields));
        Optional<String> scope = Optional.ofNullable(column(m, "scope-column", false, columnFields));
        String hashColumn = column(m, "hash-column", true, columnFields);
        String formatColumn = column(m, "format-column", true, columnFields);
        Optional<String> created = Optional.ofNullable(column(m, "created-column", false, columnFields));
        Optional<String> lastUsed = Optional.ofNullable(column(m, "last-used-column", false, columnFields));
        String hash = m.optString("hash").orElse(TokenTable.SHA256_HEX);
        if (!hash.equals(TokenTable.SHA256_HEX)) {
            m.problem(null, "hash", "'" + hash + "' is not a hash Uplift makes; the one it knows is " + TokenTable.SHA256_HEX
                    + " (SHA-256 of the token, lower-case hex)");
        }
        Map<String, TokenFormat> formats = formats(m);
        Map<String, String> componentFiles = componentFiles(m);
        if (!componentFiles.isEmpty() && lastUsed.isEmpty()) {
            m.problem(null, "component-files", "needs last-used-column: a component's old token is revoked only once the table shows"
                    + " its new one was used; declare the column the product updates when a token is used");
        }
        return new TokenTable(table, name, description, scope, hashColumn, hash, formatColumn, created, lastUsed, formats,
                m.file().getFileName() + ":" + m.line(), componentFiles);
    }

    /**
     * {@code component-files: {worker: config/app-token}}: a role and the node-relative file its component
     * reads its token from. The path stays inside the home (no "..", not absolute), as node-local files do.
     */
    private static Map<String, String> componentFiles(YamlMap m) {
        Map<String, String> files = new LinkedHashMap<>();
        Optional<YamlMap> declared = m.map("component-files");
        if (declared.isEmpty()) {
            return files;
        }
        YamlMap all = declared.get();
        for (String role : all.keys()) {
            String file = all.string(role);
            if (!role.matches("[a-z][a-z0-9-]*")) {
                all.problem(null, role, "'" + role + "' must be a node role, a lower-case name such as worker or proxy");
            } else if (file == null || file.isBlank()) {
                all.problem(null, role, "needs the file the " + role + " component reads its token from, e.g. config/app-token");
            } else if (!insideHome(file)) {
                all.problem(null, role, "'" + file + "' must be a path inside the node's home such as config/app-token (relative,"
                        + " without '..', '.' or empty parts)");
            } else {
                files.put(role, file);
            }
        }
        return files;
    }

    /** Relative, with plain parts only: the file a component reads must lie inside its node's home. */
    static boolean insideHome(String path) {
        if (path.startsWith("/") || path.endsWith("/")) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String column(YamlMap m, String key, boolean required, Map<String, String> seen) {
        if (!required && !m.has(key)) {
            return null;
        }
        String column = m.string(key);
        if (column == null) {
            return null;
        }
        if (!column.matches(IDENTIFIER)) {
            m.problem(null, key, "'" + column + "' must be a plain lower-case column name (letters, digits, _)");
        } else if (seen.containsKey(column)) {
            m.problem(null, key, "names the column '" + column + "' that " + seen.get(column) + " names already; each field needs its own column");
        } else {
            seen.put(column, m.field(key));
        }
        return column;
    }

    private static Map<String, TokenFormat> formats(YamlMap m) {
        Map<String, TokenFormat> formats = new LinkedHashMap<>();
        Optional<YamlMap> declared = m.map("formats");
        if (declared.isEmpty()) {
            m.problem(null, "formats", "is missing; declare each token format, e.g. v2: {prefix: app2_, random-bytes: 32}");
            return formats;
        }
        YamlMap all = declared.get();
        if (all.keys().isEmpty()) {
            all.problem(null, "", "declares no format; declare each token format, e.g. v2: {prefix: app2_, random-bytes: 32}");
        }
        for (String format : all.keys()) {
            YamlMap f = all.map(format).orElseThrow();
            f.rejectUnknown(FORMAT_FIELDS);
            String prefix = f.optString("prefix").orElse("");
            if (!prefix.matches("[A-Za-z0-9_.:-]*")) {
                f.problem(null, "prefix", "'" + prefix + "' may hold only letters, digits and _ . : - (it is part of a token applications send)");
            }
            long bytes = f.number("random-bytes", 0);
            if (!f.has("random-bytes")) {
                f.problem(null, "random-bytes", "is missing; say how many random bytes a token holds (" + MIN_RANDOM_BYTES + " or more)");
            } else if (bytes < MIN_RANDOM_BYTES || bytes > MAX_RANDOM_BYTES) {
                f.problem(null, "random-bytes", bytes + " is outside " + MIN_RANDOM_BYTES + ".." + MAX_RANDOM_BYTES
                        + ": fewer than 16 random bytes make a guessable token");
            }
            String encoding = f.optString("encoding").orElse("hex");
            if (!ENCODINGS.contains(encoding)) {
                f.problem(null, "encoding", "'" + encoding + "' is not hex or base64url");
            }
            formats.put(format, new TokenFormat(prefix, (int) bytes, encoding));
        }
        return formats;
    }
}
