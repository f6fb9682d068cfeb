package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.ConnectionString.Host;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * A {@link ConnectionString} as a pgjdbc URL, both ways: the URL JDBC connects with (never the
 * password), and the URL config/database.properties holds read back. pgjdbc names some settings
 * differently from libpq (targetServerType, connectTimeout, ApplicationName) and has no Unix
 * sockets of its own, so a socket folder becomes junixsocket's factory and the socket file.
 */
final class PgjdbcUrl {
    /** libpq's target_session_attrs values and pgjdbc's targetServerType for each. */
    static final Map<String, String> TARGET_SERVER_TYPES = Map.of("any", "any", "read-write", "primary",
            "primary", "primary", "read-only", "secondary", "standby", "secondary", "prefer-standby", "preferSecondary");
    private static final String SOCKET_FACTORY = "org.newsclub.net.unix.AFUNIXSocketFactory$FactoryArg";

    private PgjdbcUrl() {}

    /** The pgjdbc URL: no password, everything else pgjdbc needs to reach the same server. */
    static String of(ConnectionString c) {
        Map<String, String> params = new LinkedHashMap<>();
        StringJoiner servers = new StringJoiner(",");
        Host first = c.hosts().get(0);
        if (first.isSocketFolder()) {
            // The host name is not used for a socket, but pgjdbc wants one.
            servers.add("localhost:" + first.port());
            params.put("socketFactory", SOCKET_FACTORY);
            params.put("socketFactoryArg", socketFile(first));
            params.put("sslmode", "disable"); // libpq never uses TLS on a Unix socket either
        } else {
            c.hosts().forEach(h -> servers.add(h.toString()));
            c.option("sslmode").ifPresent(m -> params.put("sslmode", m));
        }
        for (String key : List.of("sslrootcert", "sslcert", "sslkey")) {
            c.option(key).ifPresent(value -> params.put(key, value));
        }
        c.option("target_session_attrs").ifPresent(t -> params.put("targetServerType", TARGET_SERVER_TYPES.get(t)));
        c.option("connect_timeout").ifPresent(t -> params.put("connectTimeout", t));
        c.option("application_name").ifPresent(a -> params.put("ApplicationName", a));
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(servers).append('/').append(encode(c.database()));
        String sep = "?";
        for (Map.Entry<String, String> e : params.entrySet()) {
            url.append(sep).append(e.getKey()).append('=').append(encode(e.getValue()));
            sep = "&";
        }
        return url.toString();
    }

    /**
     * The database of a pgjdbc URL as config/database.properties holds it (multi-host lists,
     * sslmode and its files, a junixsocket socket file are understood; other parameters are pgjdbc's own).
     */
    static ConnectionString parse(String jdbcUrl, String user, ErrorCode failure, String where) {
        Properties p;
        try {
            p = org.postgresql.Driver.parseURL(jdbcUrl, null);
        } catch (RuntimeException e) {
            p = null;
        }
        if (p == null || p.getProperty("PGDBNAME", "").isEmpty()) {
            throw new UpliftException(failure, "The database URL " + jdbcUrl + " in " + where
                    + " is not a jdbc:postgresql://HOST:PORT/DATABASE URL. Correct the URL.");
        }
        List<Host> hosts = new ArrayList<>();
        String socketFile = p.getProperty("socketFactoryArg", "");
        if (socketFile.matches(".*/\\.s\\.PGSQL\\.\\d+")) {
            int cut = socketFile.lastIndexOf("/.s.PGSQL.");
            hosts.add(new Host(cut == 0 ? "/" : socketFile.substring(0, cut), Integer.parseInt(socketFile.substring(cut + 10))));
        } else {
            String[] names = p.getProperty("PGHOST", "localhost").split(",");
            String[] ports = p.getProperty("PGPORT", String.valueOf(ConnectionString.DEFAULT_PORT)).split(",");
            for (int i = 0; i < names.length; i++) {
                String name = names[i].startsWith("[") && names[i].endsWith("]") ? names[i].substring(1, names[i].length() - 1) : names[i];
                hosts.add(new Host(name, Integer.parseInt(ports[Math.min(i, ports.length - 1)])));
            }
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (String key : List.of("sslmode", "sslrootcert", "sslcert", "sslkey")) {
            if (p.getProperty(key) != null) {
                options.put(key, p.getProperty(key));
            }
        }
        return new ConnectionString(hosts, p.getProperty("PGDBNAME"), user, Optional.empty(), false, options);
    }

    /** The socket file PostgreSQL makes in a socket folder: FOLDER/.s.PGSQL.PORT. */
    static String socketFile(Host host) {
        return (host.name().endsWith("/") ? host.name() : host.name() + "/") + ".s.PGSQL." + host.port();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
