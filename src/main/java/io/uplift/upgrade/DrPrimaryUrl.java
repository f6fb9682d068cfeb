package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.ConnectionString;
import io.uplift.db.PasswordSource;
import io.uplift.install.DatabaseSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The primary of a 'dr refresh' given as its database's URL: a DR site on another machine cannot read
 * the primary's home, but it can reach its database. {@code postgresql://USER@HOST:PORT/DB} (libpq's
 * form, with its parameters) or {@code jdbc:postgresql://HOST:PORT/DB?user=USER} (pgjdbc's).
 *
 * <p>The password is never taken from the URL: the URL is on the command line, which every user of
 * the machine sees in ps for as long as the refresh runs. It comes, first match wins, from
 * {@code --password-file FILE} (see {@link DrPasswordFile}), from PGPASSWORD (not in argv, but in the
 * process's environment, which root and the same user can read, and which children inherit), or from
 * the libpq password file (the URL's passfile=, else PGPASSFILE, else ~/.pgpass; mode 600). Nothing
 * asks on the terminal: a refresh is usually run by a scheduler.
 *
 * @param connection what the operator named, rendered without any password by its toString
 * @param database   the settings a JDBC connection and pg_dump take
 */
record DrPrimaryUrl(ConnectionString connection, DatabaseSettings database) {
    static final String FLAG = "--from";

    /** Whether {@code from} is a URL of some kind rather than a path. */
    static boolean looksLikeUrl(String from) {
        return from.strip().matches("^[A-Za-z][A-Za-z0-9+.-]*://.*") || from.strip().startsWith("jdbc:");
    }

    static DrPrimaryUrl parse(String from, Optional<Path> passwordFile, Map<String, String> env) {
        String libpq = from.strip();
        if (libpq.startsWith("jdbc:postgresql://")) {
            libpq = libpq.substring("jdbc:".length());
        }
        if (!libpq.startsWith("postgresql://") && !libpq.startsWith("postgres://")) {
            String scheme = libpq.contains(":") ? libpq.substring(0, libpq.indexOf(':')) : libpq;
            throw new UpliftException(ErrorCode.USAGE, FLAG + " " + scheme + ":... is not a PostgreSQL URL. Pass the primary's node-1"
                    + " home folder, or its database as postgresql://USER@HOST:PORT/DATABASE (or jdbc:postgresql://HOST:PORT/DATABASE?user=USER)"
                    + " with the password in " + DrPasswordFile.FLAG + " FILE, ~/.pgpass or PGPASSWORD. Nothing was changed.");
        }
        ConnectionString c = ConnectionString.parse(FLAG, libpq, env);
        if (c.passwordInText()) {
            // Refused, not warned about: the URL is already in argv, and a refresh is typically scheduled, run again and again.
            throw new UpliftException(ErrorCode.USAGE, FLAG + " holds a password, which every user of this machine can read in ps"
                    + " (and /proc/PID/cmdline) while Uplift runs. Remove it from the URL and give it in " + DrPasswordFile.FLAG
                    + " FILE (mode 600), ~/.pgpass, or PGPASSWORD; then change that password, since it was on a command line."
                    + " Nothing was changed.");
        }
        String password = passwordFile.isPresent() ? DrPasswordFile.read(passwordFile.get())
                : new PasswordSource(env, question -> Optional.empty()).passwordFor(c, FLAG, DrPasswordFile.FLAG, Optional.empty(), w -> { });
        return new DrPrimaryUrl(c, new DatabaseSettings(c.jdbcUrl(), c.user(), password));
    }

    @Override
    public String toString() {
        return connection.toString();
    }
}
