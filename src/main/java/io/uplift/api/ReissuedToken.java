package io.uplift.api;

import java.util.List;

/**
 * A token just re-issued. {@code token} exists only in this value: the database holds its hash, and
 * nothing else keeps it, so the command prints it once and it can never be shown again.
 *
 * @param stillValid the formats of the older tokens of this name that still work until revoked
 */
public record ReissuedToken(String name, String format, String token, String description, String scope,
        List<String> stillValid) {
    public ReissuedToken {
        stillValid = List.copyOf(stillValid);
    }

    /** Never the token: a record's default toString would put it into any log line that shows this value. */
    @Override
    public String toString() {
        return "ReissuedToken[name=" + name + ", format=" + format + ", token=(not shown)]";
    }
}
