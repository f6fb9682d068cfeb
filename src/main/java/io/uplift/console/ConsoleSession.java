package io.uplift.console;

import java.time.Instant;

/**
 * One signed-in browser. {@code token} is the cookie's value and never shown; {@code label} names the
 * session to other sessions ("who holds the upgrade") and is safe to show.
 */
public record ConsoleSession(String token, String csrf, String label, String ip, String browser, Instant signedIn, Instant lastSeen) {
    ConsoleSession seen(Instant now) {
        return new ConsoleSession(token, csrf, label, ip, browser, signedIn, now);
    }

    /** "session 3f2a91 (127.0.0.1, Chrome, signed in 06:55:12 UTC)". */
    public String describe() {
        return "session " + label + " (" + ip + ", " + browser + ", signed in "
                + signedIn.toString().substring(11, 19) + " UTC)";
    }
}
