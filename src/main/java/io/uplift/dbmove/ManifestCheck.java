package io.uplift.dbmove;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every field of a manifest.json checked for presence, type and allowed values before the manifest
 * is used, so an export edited by hand (or by someone else) gives a message naming the field
 * ({@code data[2].format}) instead of a NullPointerException, or SQL built from its text. Names of
 * schemas, tables and columns may be anything PostgreSQL allows (they are quoted where used), but
 * not empty, longer than PostgreSQL's 63 bytes or holding a NUL; formats and compressions are one
 * of a fixed few.
 */
final class ManifestCheck {
    static final Set<String> COPY_FORMATS = Set.of("binary", "text");
    static final Set<String> FILE_COMPRESSIONS = Set.of("none", "zstd");
    static final Set<String> LEVELS = Set.of("none", "low", "medium", "high");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int MAX_NAME_BYTES = 63;

    private final List<String> problems = new ArrayList<>();

    private ManifestCheck() {}

    /** What is wrong with the manifest's fields, each naming its field; empty when nothing. */
    static List<String> problems(JsonNode root) {
        ManifestCheck c = new ManifestCheck();
        c.manifest(root);
        return c.problems;
    }

    private void manifest(JsonNode m) {
        if (m == null || !m.isObject()) {
            problems.add("the file is not a JSON object");
            return;
        }
        for (String f : List.of("sourceServerVersion", "sourceDatabase", "createdAt", "pgDumpVersion")) {
            text(m, f, f);
        }
        oneOf(m, "compression", "compression", LEVELS);
        fileEntry(m.get("preData"), "preData");
        fileEntry(m.get("postData"), "postData");
        fileEntry(m.get("sequencesSql"), "sequencesSql");
        JsonNode data = m.get("data");
        if (array(data, "data")) {
            for (int i = 0; i < data.size(); i++) {
                dataFile(data.get(i), "data[" + i + "]", false);
            }
        }
        JsonNode sequences = m.get("sequences");
        if (array(sequences, "sequences")) {
            for (int i = 0; i < sequences.size(); i++) {
                JsonNode s = sequences.get(i);
                String at = "sequences[" + i + "]";
                if (object(s, at)) {
                    text(s, "name", at + ".name");
                    integral(s, "lastValue", at + ".lastValue", Long.MIN_VALUE);
                    if (s.get("isCalled") == null || !s.get("isCalled").isBoolean()) {
                        problems.add(at + ".isCalled is missing or not true/false");
                    }
                }
            }
        }
        JsonNode lo = m.get("largeObjects");
        if (lo != null && !lo.isNull() && object(lo, "largeObjects")) {
            integral(lo, "count", "largeObjects.count", 0);
            dataFile(lo.get("file"), "largeObjects.file", true);
        }
        JsonNode indexes = m.get("sourceIndexesFile");
        if (indexes != null && !indexes.isNull() && !indexes.isTextual()) {
            problems.add("sourceIndexesFile is not a string");
        }
    }

    private void fileEntry(JsonNode e, String at) {
        if (object(e, at)) {
            file(e, at);
        }
    }

    private void file(JsonNode e, String at) {
        text(e, "file", at + ".file");
        integral(e, "bytes", at + ".bytes", 0);
        JsonNode sha = e.get("sha256");
        if (sha == null || !sha.isTextual() || !SHA256.matcher(sha.asText()).matches()) {
            problems.add(at + ".sha256 is missing or not 64 lowercase hex digits");
        }
    }

    private void dataFile(JsonNode d, String at, boolean largeObjects) {
        if (!object(d, at)) {
            return;
        }
        file(d, at);
        if (!largeObjects) {
            name(d, "schema", at + ".schema");
            name(d, "table", at + ".table");
            JsonNode columns = d.get("columns");
            if (array(columns, at + ".columns")) {
                if (columns.isEmpty()) {
                    problems.add(at + ".columns is empty");
                }
                for (int i = 0; i < columns.size(); i++) {
                    String where = at + ".columns[" + i + "]";
                    JsonNode c = columns.get(i);
                    if (c == null || !c.isTextual()) {
                        problems.add(where + " is not a string");
                    } else {
                        try {
                            checkName(Identifiers.unquote(c.asText()), where);
                        } catch (IllegalArgumentException e) {
                            problems.add(where + " (" + c.asText() + ") " + e.getMessage());
                        }
                    }
                }
            }
            integral(d, "order", at + ".order", 0);
            integral(d, "chunk", at + ".chunk", 1);
            integral(d, "of", at + ".of", 1);
        }
        oneOf(d, "format", at + ".format", COPY_FORMATS);
        oneOf(d, "compression", at + ".compression", FILE_COMPRESSIONS);
        integral(d, "zstdLevel", at + ".zstdLevel", 0);
        integral(d, "rows", at + ".rows", 0);
        integral(d, "copyBytes", at + ".copyBytes", 0);
    }

    private void name(JsonNode n, String field, String at) {
        if (text(n, field, at)) {
            checkName(n.get(field).asText(), at);
        }
    }

    private void checkName(String name, String at) {
        if (name.isEmpty() || name.indexOf('\0') >= 0 || name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            problems.add(at + " is not a PostgreSQL name (empty, a NUL character, or longer than " + MAX_NAME_BYTES + " bytes)");
        }
    }

    private boolean object(JsonNode n, String at) {
        if (n == null || !n.isObject()) {
            problems.add(at + (n == null || n.isNull() ? " is missing" : " is not an object"));
            return false;
        }
        return true;
    }

    private boolean array(JsonNode n, String at) {
        if (n == null || !n.isArray()) {
            problems.add(at + (n == null || n.isNull() ? " is missing" : " is not a list"));
            return false;
        }
        return true;
    }

    private boolean text(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            problems.add(at + (v == null || v.isNull() ? " is missing" : " is not a string"));
            return false;
        }
        return true;
    }

    private void oneOf(JsonNode n, String field, String at, Set<String> allowed) {
        if (text(n, field, at) && !allowed.contains(n.get(field).asText())) {
            problems.add(at + " is \"" + n.get(field).asText() + "\", not one of " + new java.util.TreeSet<>(allowed));
        }
    }

    private void integral(JsonNode n, String field, String at, long min) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            problems.add(at + " is missing");
        } else if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < min) {
            problems.add(at + " is " + v + ", not a whole number" + (min == Long.MIN_VALUE ? "" : " of at least " + min));
        }
    }
}
