package io.uplift.db;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The two spellings libpq reads, turned into keyword settings ({@code host}, {@code port}, {@code dbname},
 * ...), as libpq parses them: a URI's host list and path, then its query parameters; or
 * {@code key=value} pairs, values optionally in single quotes with backslash escapes. An error names
 * the part or the parameter, never a value: a password may be among them.
 */
final class ConnectionStringForms {
    private ConnectionStringForms() {}

    static Map<String, String> uri(String flag, String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        int start = text.indexOf("://") + 3;
        int slash = indexOf(text, '/', start);
        int at = text.indexOf('@', start);
        int hostStart = start;
        if (at >= 0 && at < slash) {
            String userInfo = text.substring(start, at);
            int colon = userInfo.indexOf(':');
            putDecoded(flag, settings, "user", colon < 0 ? userInfo : userInfo.substring(0, colon));
            if (colon >= 0) {
                putDecoded(flag, settings, "password", userInfo.substring(colon + 1));
            }
            hostStart = at + 1;
        }
        int hostEnd = Math.min(indexOf(text, '/', hostStart), indexOf(text, '?', hostStart));
        hosts(flag, text.substring(hostStart, hostEnd), settings);
        int query = indexOf(text, '?', hostEnd);
        if (hostEnd < text.length() && text.charAt(hostEnd) == '/') {
            putDecoded(flag, settings, "dbname", text.substring(hostEnd + 1, query));
        }
        if (query < text.length()) {
            for (String pair : text.substring(query + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    throw ConnectionString.bad(flag, "the URI parameter '" + safeName(pair) + "' has no '=value'");
                }
                String key = decode(flag, "a parameter name", pair.substring(0, eq));
                requireKnown(flag, key);
                putDecoded(flag, settings, key, pair.substring(eq + 1));
            }
        }
        return settings;
    }

    /** {@code h1:5432,[::1]:5433,%2Ftmp}: hosts (percent-decoded, so a socket folder may be spelled out) and ports. */
    private static void hosts(String flag, String spec, Map<String, String> settings) {
        if (spec.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        for (String one : spec.split(",", -1)) {
            String name;
            String port = "";
            if (one.startsWith("[")) {
                int close = one.indexOf(']');
                if (close < 0) {
                    throw ConnectionString.bad(flag, "an IPv6 address in the host list lacks its closing ']'");
                }
                name = one.substring(1, close);
                String rest = one.substring(close + 1);
                if (!rest.isEmpty() && !rest.startsWith(":")) {
                    throw ConnectionString.bad(flag, "after an IPv6 address ']' only ':PORT' may follow");
                }
                port = rest.isEmpty() ? "" : rest.substring(1);
            } else {
                int colon = one.lastIndexOf(':');
                name = colon < 0 ? one : one.substring(0, colon);
                port = colon < 0 ? "" : one.substring(colon + 1);
            }
            names.add(decode(flag, "a host name", name));
            ports.add(decode(flag, "a port", port));
        }
        settings.put("host", String.join(",", names));
        if (ports.stream().anyMatch(p -> !p.isEmpty())) {
            settings.put("port", String.join(",", ports));
        }
    }

    static Map<String, String> keywords(String flag, String text) {
        Map<String, String> settings = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        boolean afterBarePassword = false;
        while (true) {
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return settings;
            }
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            String key = text.substring(keyStart, i);
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (afterBarePassword && (i >= n || text.charAt(i) != '=' || !ConnectionString.KEYWORDS.contains(key))) {
                // Most likely the rest of a password with a space: never show it.
                throw ConnectionString.bad(flag, "a word after password= is not a setting; a value with spaces needs single quotes,"
                        + " password='...' (better: no password in the string at all)");
            }
            if (i >= n || text.charAt(i) != '=') {
                throw ConnectionString.bad(flag, "'" + safeName(key) + "' is not followed by '=value'");
            }
            requireKnown(flag, key);
            afterBarePassword = false;
            i++;
            while (i < n && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '\'') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(text.charAt(i++));
                    } else if (c == '\'') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw ConnectionString.bad(flag, "the quoted value of '" + key + "' has no closing quote");
                }
            } else {
                afterBarePassword = key.equals("password");
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    char c = text.charAt(i++);
                    value.append(c == '\\' && i < n ? text.charAt(i++) : c);
                }
            }
            settings.put(key, value.toString());
        }
    }

    static void requireKnown(String flag, String key) {
        if (!ConnectionString.KEYWORDS.contains(key)) {
            throw ConnectionString.bad(flag, "the parameter '" + safeName(key) + "' is not one Uplift understands (known: "
                    + ConnectionString.KEYWORDS.stream().sorted().collect(Collectors.joining(", ")) + ")");
        }
    }

    private static void putDecoded(String flag, Map<String, String> settings, String key, String raw) {
        settings.put(key, decode(flag, key.equals("password") ? "the password" : "the " + key, raw));
    }

    /** %XX decoding as libpq does it ('+' stays '+'); {@code what} names the part in an error. */
    private static String decode(String flag, String what, String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] in = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] != '%') {
                bytes.write(in[i]);
                continue;
            }
            int hi = i + 1 < in.length ? Character.digit(in[i + 1], 16) : -1;
            int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
            if (hi < 0 || lo < 0) {
                throw ConnectionString.bad(flag, what + " holds a '%' not followed by two hex digits (write a '%' as %25)");
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A parameter name for a message: a typo shows, a long pasted secret does not. */
    static String safeName(String name) {
        return name.length() <= 32 && name.matches("[A-Za-z0-9_.-]*") ? name : "(" + name.length() + " characters, not shown)";
    }

    private static int indexOf(String text, char c, int from) {
        int i = text.indexOf(c, from);
        return i < 0 ? text.length() : i;
    }
}
