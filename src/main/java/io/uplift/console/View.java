package io.uplift.console;

import java.util.Optional;

/**
 * What a page needs to know about the request it answers: the session (for the CSRF token) and
 * whether that session may change anything right now; {@code readOnly} says why not.
 */
public record View(ConsoleSession session, Optional<String> readOnly, Assets assets) {

    /** A form that POSTs to {@code action} with the CSRF token, disabled (with the reason) when this session is read-only. */
    public Form form(String action) {
        return new Form(action, session.csrf(), readOnly);
    }

    public boolean canChange() {
        return readOnly.isEmpty();
    }
}
