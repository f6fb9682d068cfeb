package io.uplift.install;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Flyway's log for Uplift: its warnings and errors reach the operator on standard error, its
 * per-statement chatter does not (Uplift prints its own summary of each step).
 */
public final class QuietFlywayLog implements LogCreator, Log {
    @Override
    public Log createLogger(Class<?> clazz) {
        return this;
    }

    @Override
    public boolean isDebugEnabled() {
        return false;
    }

    @Override
    public void debug(String message) {
        // dropped on purpose
    }

    @Override
    public void info(String message) {
        // dropped on purpose
    }

    @Override
    public void notice(String message) {
        // dropped on purpose
    }

    @Override
    public void warn(String message) {
        System.err.println("flyway: warning: " + message);
    }

    @Override
    public void error(String message) {
        System.err.println("flyway: error: " + message);
    }

    @Override
    public void error(String message, Exception e) {
        System.err.println("flyway: error: " + message + ": " + e);
    }
}
