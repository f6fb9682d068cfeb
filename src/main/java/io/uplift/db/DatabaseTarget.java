package io.uplift.db;

import io.uplift.api.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A database as the libpq tools (pg_dump, pg_restore, psql) reach it: hosts (or a socket folder),
 * ports, user and database as arguments, TLS settings and the password only in the child's
 * environment, where {@link ToolRun} turns the password into a temporary password file.
 */
public final class DatabaseTarget {
    private final ConnectionString connection;
    private final String password;

    private DatabaseTarget(ConnectionString connection, String password) {
        this.connection = connection;
        this.password = password == null ? "" : password;
    }

    public static DatabaseTarget of(ConnectionString connection, String password) {
        return new DatabaseTarget(connection, password);
    }

    /** The target of a JDBC URL; {@code failure} and {@code where} shape the error for a URL libpq cannot use. */
    public static DatabaseTarget of(String url, String user, String password, ErrorCode failure, String where) {
        return new DatabaseTarget(ConnectionString.fromJdbc(url, user, failure, where), password);
    }

    /** -h -p -U -d: nothing secret (libpq takes lists of hosts and ports). -w: fail instead of prompting for a password nobody can type. */
    public List<String> connectionArgs() {
        String hosts = connection.hosts().stream().map(ConnectionString.Host::name).collect(Collectors.joining(","));
        String ports = connection.hosts().stream().map(h -> String.valueOf(h.port())).collect(Collectors.joining(","));
        return new ArrayList<>(List.of("-h", hosts, "-p", ports, "-U", connection.user(), "-d", connection.database(), "-w"));
    }

    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGPASSWORD", password);
        env.put("PGCONNECT_TIMEOUT", connection.option("connect_timeout").orElse("10"));
        env.put("PGAPPNAME", "uplift");
        connection.option("sslmode").ifPresent(v -> env.put("PGSSLMODE", v));
        connection.option("sslrootcert").ifPresent(v -> env.put("PGSSLROOTCERT", v));
        connection.option("sslcert").ifPresent(v -> env.put("PGSSLCERT", v));
        connection.option("sslkey").ifPresent(v -> env.put("PGSSLKEY", v));
        connection.option("target_session_attrs").ifPresent(v -> env.put("PGTARGETSESSIONATTRS", v));
        return env;
    }

    @Override
    public String toString() {
        return "database " + connection.database() + " on " + connection.hosts().stream().map(ConnectionString.Host::toString)
                .collect(Collectors.joining(",")) + " as " + connection.user();
    }
}
