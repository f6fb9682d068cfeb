package io.uplift.gate;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the one field the gate needs from a keyset file: the top-level {@code "fingerprint"} of
 * Uplift's keyset envelope (docs/keys.md, "The installation keyset").
 *
 * <p>Why a small parser rather than a regex: the envelope nests objects ({@code master},
 * {@code encryptedKeyset}) and a Tink keyset in clear (a "legacy" file) nests its keys, so a
 * pattern such as {@code "fingerprint"\s*:\s*"..."} could match a nested field or the inside of a
 * string value. This parser walks the JSON grammar (RFC 8259) at the top level only and skips every
 * nested value whole, strings with their escapes included; it decodes nothing but the field's
 * string. Why not a JSON library: the gate must depend on nothing but java.sql, so that a vendor
 * adds one jar and no version conflict.
 */
final class KeysetHeader {
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{64}");

    private final String text;
    private int pos;

    private KeysetHeader(String text) {
        this.text = text;
    }

    /**
     * The top-level fingerprint (64 lower-case hex digits); empty when the object has no such field,
     * as a legacy keyset file (Tink's JSON in clear) has not.
     *
     * @throws IllegalArgumentException when the text is not one JSON object, the field appears twice,
     *                                  or its value is not a string of 64 hex digits; the message says where
     */
    static Optional<String> fingerprint(String json) {
        return new KeysetHeader(json).topLevelFingerprint();
    }

    private Optional<String> topLevelFingerprint() {
        String found = null;
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                if (key.equals("fingerprint")) {
                    if (found != null) {
                        throw malformed("the field \"fingerprint\" appears twice");
                    }
                    if (peek() != '"') {
                        throw malformed("\"fingerprint\" is not a string");
                    }
                    found = string();
                    if (!FINGERPRINT.matcher(found).matches()) {
                        throw malformed("\"fingerprint\" is not 64 lower-case hex digits");
                    }
                } else {
                    skipValue();
                }
                skipSpace();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw malformed("expected ',' or '}' at offset " + (pos - 1));
                }
            }
        }
        skipSpace();
        if (pos != text.length()) {
            throw malformed("text after the object at offset " + pos);
        }
        return Optional.ofNullable(found);
    }

    private void skipValue() {
        char c = peek();
        switch (c) {
            case '"' -> string();
            case '{', '[' -> skipContainer();
            default -> skipScalar();
        }
    }

    /**
     * Skips an object or array: a stack of the closing brackets expected, strings skipped whole (a
     * bracket inside a string does not count). Members are not checked further: only the top level matters.
     */
    private void skipContainer() {
        StringBuilder closers = new StringBuilder();
        do {
            char c = peek();
            if (c == '"') {
                string();
                continue;
            }
            pos++;
            if (c == '{' || c == '[') {
                closers.append(c == '{' ? '}' : ']');
            } else if (c == '}' || c == ']') {
                char expected = closers.charAt(closers.length() - 1);
                if (c != expected) {
                    throw malformed("expected '" + expected + "' but found '" + c + "' at offset " + (pos - 1));
                }
                closers.setLength(closers.length() - 1);
            }
        } while (closers.length() > 0);
    }

    /** A number, true, false or null: the characters up to the next separator, checked loosely. */
    private void skipScalar() {
        int start = pos;
        while (pos < text.length() && ",}] \t\r\n".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String token = text.substring(start, pos);
        if (!token.matches("true|false|null|-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
            throw malformed("unexpected value '" + token + "' at offset " + start);
        }
    }

    /** A string at the current position, decoded (escapes included). */
    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw malformed("a control character inside a string at offset " + (pos - 1));
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length() || !text.substring(pos, pos + 4).matches("[0-9a-fA-F]{4}")) {
                        throw malformed("a bad \\u escape at offset " + (pos - 2));
                    }
                    out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw malformed("a bad escape '\\" + e + "' at offset " + (pos - 2));
            }
        }
    }

    private void skipSpace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw malformed("expected '" + c + "' at offset " + (pos - 1));
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw malformed("the text ends early (truncated file?)");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private static IllegalArgumentException malformed(String what) {
        return new IllegalArgumentException("not a keyset envelope: " + what);
    }
}
