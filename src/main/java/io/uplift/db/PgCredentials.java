package io.uplift.db;

/** A PostgreSQL role and its password. {@link #toString()} leaves the password out of logs. */
public record PgCredentials(String user, String password) {
    @Override
    public String toString() {
        return "PgCredentials[user=" + user + ", password=***]";
    }
}
