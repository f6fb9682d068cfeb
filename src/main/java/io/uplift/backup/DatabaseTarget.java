package io.uplift.backup;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.DatabaseSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The product database as libpq tools reach it, derived from the JDBC settings: host, port and name
 * as arguments, the password only in the child's environment (see {@link ToolRun}).
 */
record DatabaseTarget(String host, String port, String database, String user, String password, String sslmode) {

    static DatabaseTarget of(DatabaseSettings settings) {
        Properties p;
        try {
            p = org.postgresql.Driver.parseURL(settings.url(), null);
        } catch (RuntimeException e) {
            p = null;
        }
        if (p == null || p.getProperty("PGDBNAME", "").isEmpty()) {
            throw new UpliftException(ErrorCode.BACKUP_FAILED, "The database URL " + settings.url() + " in config/database.properties"
                    + " is not a jdbc:postgresql://HOST:PORT/DATABASE URL; pg_dump cannot use it. Correct the URL.");
        }
        return new DatabaseTarget(p.getProperty("PGHOST", "localhost"), p.getProperty("PGPORT", "5432"), p.getProperty("PGDBNAME"),
                settings.user(), settings.password() == null ? "" : settings.password(), p.getProperty("sslmode"));
    }

    /** -h -p -U -d: nothing secret. -w: fail instead of prompting for a password nobody can type. */
    List<String> connectionArgs() {
        return new ArrayList<>(List.of("-h", host, "-p", port, "-U", user, "-d", database, "-w"));
    }

    Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGPASSWORD", password);
        env.put("PGCONNECT_TIMEOUT", "10");
        env.put("PGAPPNAME", "uplift-backup");
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
