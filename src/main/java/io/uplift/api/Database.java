package io.uplift.api;

import java.util.Objects;

/**
 * A database given to a move or an import, with its password found ({@code Uplift.resolveDatabase}):
 * resolved once, so that the operator is asked for a password at most once however many verbs use it.
 *
 * @param flag       the option it was given with ("--source", "--target"), for messages
 * @param connection the connection string as given (libpq URI or keyword form; it may hold the password)
 * @param password   the password found for it, empty when none (the server may trust the connection)
 * @param display    the connection for messages: never the password
 */
public record Database(String flag, String connection, String password, String display) {
    public Database {
        Objects.requireNonNull(flag, "flag");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(display, "display");
        password = password == null ? "" : password;
    }

    /** For messages and logs: never the password. */
    @Override
    public String toString() {
        return display;
    }
}
