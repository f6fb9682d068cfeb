package io.uplift.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in sessions, in memory only: restarting the console signs everyone out, which is what an
 * operator expects of a tool that runs for one upgrade. A session ends after 30 idle minutes or 12
 * hours in all. Tokens are 256 random bits; the CSRF token is another, separate one.
 */
final class Sessions {
    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration LONGEST = Duration.ofHours(12);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, ConsoleSession> byToken = new ConcurrentHashMap<>();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    ConsoleSession open(String ip, String userAgent) {
        var now = clock.instant();
        ConsoleSession s = new ConsoleSession(random(32), random(32), random(3), ip, browser(userAgent), now, now);
        byToken.put(s.token(), s);
        return s;
    }

    /** The live session of this cookie value, its idle time reset; empty when unknown or expired. */
    Optional<ConsoleSession> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        ConsoleSession s = byToken.get(token);
        if (s == null) {
            return Optional.empty();
        }
        var now = clock.instant();
        if (s.lastSeen().plus(IDLE).isBefore(now) || s.signedIn().plus(LONGEST).isBefore(now)) {
            byToken.remove(token);
            return Optional.empty();
        }
        ConsoleSession seen = s.seen(now);
        byToken.put(token, seen);
        return Optional.of(seen);
    }

    /** Whether this session is still signed in, without counting as activity (the event stream asks every second). */
    boolean alive(ConsoleSession s) {
        ConsoleSession current = byToken.get(s.token());
        var now = clock.instant();
        return current != null && !current.lastSeen().plus(IDLE).isBefore(now) && !current.signedIn().plus(LONGEST).isBefore(now);
    }

    void close(String token) {
        if (token != null) {
            byToken.remove(token);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String browser(String userAgent) {
        if (userAgent == null) {
            return "unknown browser";
        }
        for (String name : new String[] {"Edg", "Firefox", "Chrome", "Safari", "curl"}) {
            if (userAgent.contains(name + "/")) {
                return name.equals("Edg") ? "Edge" : name;
            }
        }
        return "other browser";
    }
}
