package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A PostgreSQL database as libpq takes it, parsed once: the URI form
 * ({@code postgresql://USER@HOST1:PORT1,HOST2:PORT2/DB?sslmode=verify-full}, {@code postgresql://USER@/DB?host=/run/postgresql})
 * and the keyword form ({@code host=/tmp port=5433 dbname=app user=app}), with {@code service=NAME}
 * (or PGSERVICE) filled in from pg_service.conf. Both JDBC (through {@link #jdbcUrl()}) and the
 * libpq tools (through {@link DatabaseTarget}) reach the same server from it.
 *
 * <p>A host starting with {@code /} is a Unix socket folder: pgjdbc has no Unix sockets of its own,
 * so the JDBC URL names junixsocket's socket factory and the socket file {@code FOLDER/.s.PGSQL.PORT}
 * ({@link PgjdbcUrl} writes and reads the JDBC URL).
 *
 * <p>A password written in the string is kept apart ({@link #writtenPassword()}) and never shown:
 * {@link #toString()} is the one rendering for messages, logs and results.
 */
public final class ConnectionString {
    /** One server to try: a host name or address, or a socket folder (starting with '/'), and its port. */
    public record Host(String name, int port) {
        public boolean isSocketFolder() {
            return name.startsWith("/");
        }

        @Override
        public String toString() {
            return (name.contains(":") ? "[" + name + "]" : name) + ":" + port;
        }
    }

    static final Set<String> KEYWORDS = Set.of("host", "port", "dbname", "user", "password", "sslmode", "sslrootcert", "sslcert",
            "sslkey", "passfile", "service", "target_session_attrs", "connect_timeout", "application_name");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
    static final int DEFAULT_PORT = 5432;

    private final List<Host> hosts;
    private final String database;
    private final String user;
    private final Optional<String> writtenPassword;
    private final boolean passwordInText;
    private final Map<String, String> options;

    ConnectionString(List<Host> hosts, String database, String user, Optional<String> writtenPassword, boolean passwordInText,
            Map<String, String> options) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a connection needs at least one host");
        }
        this.hosts = List.copyOf(hosts);
        this.database = database;
        this.user = user;
        this.writtenPassword = writtenPassword;
        this.passwordInText = passwordInText;
        this.options = Map.copyOf(options);
    }

    /** One TCP server, as Uplift makes them (a new managed server). */
    public static ConnectionString tcp(String host, int port, String database, String user) {
        return new ConnectionString(List.of(new Host(host, port)), database, user, Optional.empty(), false, Map.of());
    }

    /**
     * Parses what an operator wrote after {@code flag}. {@code env} supplies PGSERVICE, PGSERVICEFILE,
     * PGSYSCONFDIR and HOME (for the service file). Errors name the flag and the part that is wrong,
     * never the text itself: it may hold a password.
     */
    public static ConnectionString parse(String flag, String text, Map<String, String> env) {
        String trimmed = text.strip();
        Map<String, String> values;
        if (trimmed.startsWith("postgresql://") || trimmed.startsWith("postgres://")) {
            values = ConnectionStringForms.uri(flag, trimmed);
        } else if (trimmed.contains("=")) {
            values = ConnectionStringForms.keywords(flag, trimmed);
        } else {
            throw bad(flag, "it is neither a postgresql:// URI nor a list of keyword=value settings");
        }
        boolean passwordInText = values.containsKey("password");
        String service = values.getOrDefault("service", env.get("PGSERVICE"));
        if (service != null && !service.isEmpty()) {
            new ServiceFile(env).settings(flag, service).forEach(values::putIfAbsent);
        }
        return fromSettings(flag, values, passwordInText);
    }

    /** The database of a pgjdbc URL as config/database.properties holds it (see {@link PgjdbcUrl}). */
    public static ConnectionString fromJdbc(String jdbcUrl, String user, ErrorCode failure, String where) {
        return PgjdbcUrl.parse(jdbcUrl, user, failure, where);
    }

    private static ConnectionString fromSettings(String flag, Map<String, String> v, boolean passwordInText) {
        List<String> names = split(v.getOrDefault("host", ""));
        List<String> portTexts = split(v.getOrDefault("port", ""));
        if (names.isEmpty()) {
            names = List.of("localhost");
        }
        if (!portTexts.isEmpty() && portTexts.size() != 1 && portTexts.size() != names.size()) {
            throw bad(flag, "it names " + names.size() + " hosts but " + portTexts.size() + " ports; give one port, or one per host");
        }
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String portText = portTexts.isEmpty() ? "" : portTexts.get(portTexts.size() == 1 ? 0 : i);
            hosts.add(new Host(names.get(i), port(flag, portText)));
        }
        if (hosts.size() > 1 && hosts.stream().anyMatch(Host::isSocketFolder)) {
            throw bad(flag, "a Unix socket folder cannot be combined with other hosts");
        }
        String database = v.getOrDefault("dbname", "");
        String user = v.getOrDefault("user", "");
        if (user.isEmpty()) {
            throw bad(flag, "it names no user (postgresql://USER@HOST/DB or user=NAME)");
        }
        if (database.isEmpty()) {
            throw bad(flag, "it names no database (postgresql://USER@HOST/DB or dbname=NAME)");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String key : List.of("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "target_session_attrs",
                "connect_timeout", "application_name")) {
            String value = v.get(key);
            if (value != null && !value.isEmpty()) {
                options.put(key, value);
            }
        }
        checkValue(flag, "sslmode", options.get("sslmode"), SSL_MODES);
        checkValue(flag, "target_session_attrs", options.get("target_session_attrs"), PgjdbcUrl.TARGET_SERVER_TYPES.keySet());
        String timeout = options.get("connect_timeout");
        if (timeout != null && !timeout.matches("\\d{1,6}")) {
            throw bad(flag, "connect_timeout '" + timeout + "' is not a number of seconds");
        }
        return new ConnectionString(hosts, database, user, Optional.ofNullable(v.get("password")), passwordInText, options);
    }

    private static List<String> split(String list) {
        return list.isEmpty() ? List.of() : List.of(list.split(",", -1));
    }

    private static int port(String flag, String text) {
        if (text.isEmpty()) {
            return DEFAULT_PORT;
        }
        if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw bad(flag, "the port '" + text + "' is not a number from 1 to 65535");
        }
        return Integer.parseInt(text);
    }

    private static void checkValue(String flag, String key, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw bad(flag, key + " '" + value + "' is not one of " + allowed.stream().sorted().collect(Collectors.joining(", ")));
        }
    }

    static UpliftException bad(String flag, String why) {
        return new UpliftException(ErrorCode.USAGE, flag + " is not a usable database connection string: " + why
                + ". Write it as postgresql://USER@HOST:PORT/DATABASE (a socket folder as ?host=/run/postgresql) or as"
                + " 'host=HOST port=PORT dbname=DATABASE user=USER'; give the password with a password file, ~/.pgpass or PGPASSWORD.");
    }

    public List<Host> hosts() {
        return hosts;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    /** The password written in the string itself or in its service entry, if any. */
    public Optional<String> writtenPassword() {
        return writtenPassword;
    }

    /** Whether the string itself held the password (on a command line: visible in ps), not its service entry. */
    public boolean passwordInText() {
        return passwordInText;
    }

    /** sslmode, sslrootcert, sslcert, sslkey, passfile, target_session_attrs, connect_timeout, application_name, as given. */
    public Optional<String> option(String key) {
        return Optional.ofNullable(options.get(key));
    }

    public ConnectionString withDatabase(String otherDatabase) {
        return new ConnectionString(hosts, otherDatabase, user, writtenPassword, passwordInText, options);
    }

    /** The pgjdbc URL: no password, everything else pgjdbc needs to reach the same server. */
    public String jdbcUrl() {
        return PgjdbcUrl.of(this);
    }

    /** For every message: never the password, not even masked (its length would tell something). */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("postgresql://").append(user).append('@');
        Host first = hosts.get(0);
        if (first.isSocketFolder()) {
            s.append('/').append(database).append("?host=").append(first.name()).append("&port=").append(first.port());
        } else {
            s.append(hosts.stream().map(Host::toString).collect(Collectors.joining(","))).append('/').append(database);
        }
        String params = options.entrySet().stream().filter(e -> e.getKey().startsWith("ssl") || e.getKey().equals("target_session_attrs"))
                .map(e -> e.getKey() + "=" + e.getValue()).sorted().collect(Collectors.joining("&"));
        if (!params.isEmpty()) {
            s.append(first.isSocketFolder() ? "&" : "?").append(params);
        }
        return s.toString();
    }
}
