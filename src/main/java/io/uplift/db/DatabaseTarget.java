package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The product database as libpq tools reach it, derived from the JDBC settings: host, port and name
 * as arguments, the password only in the child's environment (see {@link ToolRun}).
 */
public record DatabaseTarget(String host, String port, String database, String user, String password, String sslmode) {

    /** The target of a JDBC URL; {@code failure} and {@code where} shape the error for a URL libpq cannot use. */
    public static DatabaseTarget of(String url, String user, String password, ErrorCode failure, String where) {
        Properties p;
        try {
            p = org.postgresql.Driver.parseURL(url, null);
        } catch (RuntimeException e) {
            p = null;
        }
        if (p == null || p.getProperty("PGDBNAME", "").isEmpty()) {
            throw new UpliftException(failure, "The database URL " + url + " in " + where
                    + " is not a jdbc:postgresql://HOST:PORT/DATABASE URL; pg_dump cannot use it. Correct the URL.");
        }
        return new DatabaseTarget(p.getProperty("PGHOST", "localhost"), p.getProperty("PGPORT", "5432"), p.getProperty("PGDBNAME"),
                user, password == null ? "" : password, p.getProperty("sslmode"));
    }

    /** -h -p -U -d: nothing secret. -w: fail instead of prompting for a password nobody can type. */
    public List<String> connectionArgs() {
        return new ArrayList<>(List.of("-h", host, "-p", port, "-U", user, "-d", database, "-w"));
    }

    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGPASSWORD", password);
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "uplift");
        if (sslmode != null) {
            env.put("PGSSLMODE", sslmode);
        }
        return env;
    }

    @Override
    public String toString() {
        return "database " + database + " on " + host + ":" + port + " as " + user;
    }
}
