package io.uplift.dbmove;

import io.uplift.api.Database;
import io.uplift.api.ErrorCode;
import io.uplift.db.ConnectionString;
import io.uplift.db.DatabaseTarget;
import io.uplift.db.PasswordSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A database of a move with its password resolved: a {@link ConnectionString} (libpq URI or keyword
 * form, socket folders, several hosts, TLS) and the password from wherever {@link PasswordSource}
 * found it. {@link #toString()} is the connection string's, which never shows the password.
 */
public record PgUrl(ConnectionString connection, String password) {

    public PgUrl {
        password = password == null ? "" : password;
    }

    /** One TCP server, as Uplift starts them. */
    public PgUrl(String host, int port, String database, String user, String password) {
        this(ConnectionString.tcp(host, port, database, user), password);
    }

    /**
     * A connection string from the command line: the password from {@code passwordFile}, the string,
     * PGPASSWORD, ~/.pgpass or the terminal (see {@link PasswordSource}); {@code warnings} gets the
     * warning about a password written in the string.
     */
    public static PgUrl fromCommandLine(String flag, String text, String passwordFlag, Optional<Path> passwordFile,
            PasswordSource passwords, Map<String, String> env, Consumer<String> warnings) {
        ConnectionString c = ConnectionString.parse(flag, text, env);
        return new PgUrl(c, passwords.passwordFor(c, flag, passwordFlag, passwordFile, warnings));
    }

    /**
     * A database the operator gave, found with {@link #fromCommandLine}: its connection string read again (the
     * same text and environment give the same connection) with the password found then, so nothing asks twice.
     */
    public static PgUrl of(Database given) {
        return new PgUrl(ConnectionString.parse(given.flag(), given.connection(), System.getenv()), given.password());
    }

    /** A connection string whose password, if any, is written in it (tests, and strings made by Uplift). */
    public static PgUrl parse(String flag, String text) {
        ConnectionString c = ConnectionString.parse(flag, text, Map.of());
        return new PgUrl(c, c.writtenPassword().orElse(""));
    }

    /** The database of a jdbc:postgresql:// URL, as the installation's settings hold it. */
    public static PgUrl fromJdbc(String jdbcUrl, String user, String password) {
        return new PgUrl(ConnectionString.fromJdbc(jdbcUrl, user, ErrorCode.INSTALLATION_INVALID, "config/database.properties"), password);
    }

    /** The first host: a name, an address or a socket folder. */
    public String host() {
        return connection.hosts().get(0).name();
    }

    public int port() {
        return connection.hosts().get(0).port();
    }

    public String database() {
        return connection.database();
    }

    public String user() {
        return connection.user();
    }

    /** The same server and credentials, another database of it (e.g. "postgres" to drop this one). */
    public PgUrl withDatabase(String other) {
        return new PgUrl(connection.withDatabase(other), password);
    }

    public String jdbcUrl() {
        return connection.jdbcUrl();
    }

    /** The same database for pg_dump, pg_restore and psql. */
    public DatabaseTarget tools() {
        return DatabaseTarget.of(connection, password);
    }

    /** For messages: never the password. */
    @Override
    public String toString() {
        return connection.toString();
    }
}
