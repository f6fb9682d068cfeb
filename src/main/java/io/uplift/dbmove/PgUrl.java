package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.DatabaseTarget;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A database given on the command line as a libpq URI, {@code postgresql://USER:PASSWORD@HOST:PORT/DB}
 * (the form psql and pg_dump take too). The password stays out of every message.
 */
public record PgUrl(String host, int port, String database, String user, String password) {

    public static PgUrl parse(String flag, String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw bad(flag, text, e.getMessage());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw bad(flag, text, "it must start with postgresql://");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (uri.getHost() == null || path.isEmpty()) {
            throw bad(flag, text, "it needs a host and a database name");
        }
        String info = uri.getRawUserInfo();
        if (info == null || info.isEmpty()) {
            throw bad(flag, text, "it needs a user (postgresql://USER:PASSWORD@HOST:PORT/DB)");
        }
        String[] parts = info.split(":", 2);
        return new PgUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), decode(path), decode(parts[0]),
                parts.length > 1 ? decode(parts[1]) : "");
    }

    /** The database of a jdbc:postgresql://HOST:PORT/DB URL, as the installation's settings hold it. */
    public static PgUrl fromJdbc(String jdbcUrl, String user, String password) {
        java.util.Properties p = org.postgresql.Driver.parseURL(jdbcUrl, null);
        if (p == null) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, jdbcUrl + " is not a jdbc:postgresql://HOST:PORT/DB URL.");
        }
        return new PgUrl(p.getProperty("PGHOST", "localhost"), Integer.parseInt(p.getProperty("PGPORT", "5432")),
                p.getProperty("PGDBNAME"), user, password);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static UpliftException bad(String flag, String text, String why) {
        String shown = text.replaceAll("://([^:@/]*):[^@/]*@", "://$1:***@");
        return new UpliftException(ErrorCode.USAGE, flag + " " + shown + " is not a database URL: " + why
                + ". Write it as postgresql://USER:PASSWORD@HOST:PORT/DATABASE.");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The same database for pg_dump, pg_restore and psql. */
    public DatabaseTarget tools() {
        return DatabaseTarget.of(jdbcUrl(), user, password, ErrorCode.USAGE, "the command line");
    }

    /** For messages: never the password. */
    @Override
    public String toString() {
        return "postgresql://" + user + "@" + host + ":" + port + "/" + database;
    }
}
