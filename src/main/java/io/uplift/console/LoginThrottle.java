package io.uplift.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Locks the sign-in after {@link #ALLOWED} failed attempts in a row, for {@link #LOCK} (doubling with
 * every further lock, up to an hour), so a password cannot be guessed faster than a few tries an hour.
 * There is one admin account, so the count is the console's, not a browser's: a guesser cannot escape it
 * by changing address. A correct password while locked is refused too (else locking would tell nothing).
 */
final class LoginThrottle {
    static final int ALLOWED = 5;
    static final Duration LOCK = Duration.ofMinutes(5);
    private static final Duration LONGEST = Duration.ofHours(1);

    private final Clock clock;
    private int failures;
    private int locks;
    private Instant lockedUntil = Instant.MIN;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Until when sign-in is locked, if it is. */
    synchronized Optional<Instant> lockedUntil() {
        return clock.instant().isBefore(lockedUntil) ? Optional.of(lockedUntil) : Optional.empty();
    }

    synchronized void failed() {
        failures++;
        if (failures >= ALLOWED) {
            Duration lock = LOCK.multipliedBy(1L << Math.min(locks, 4));
            lockedUntil = clock.instant().plus(lock.compareTo(LONGEST) > 0 ? LONGEST : lock);
            locks++;
            failures = 0;
        }
    }

    synchronized int failuresInARow() {
        return failures;
    }

    synchronized void succeeded() {
        failures = 0;
        locks = 0;
    }
}
