package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opening JDBC connections to PostgreSQL with Uplift's timeouts and operator-facing errors. */
public final class Jdbc {
    /**
     * Seconds to wait for the TCP connection and for the login. Short: the servers are local or on the
     * same network, and an operator waiting a minute for "connection refused" learns nothing more.
     */
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    private Jdbc() {
    }

    /**
     * Connects, or throws {@link ErrorCode#DATABASE_UNREACHABLE} naming the URL, the user, the
     * server's (or driver's) message and what to check.
     */
    public static Connection connect(String url, String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("ApplicationName", "uplift");
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Could not connect to " + url + " as '"
                    + user + "': " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + "). Is the server"
                    + " running ('uplift status' tells; 'uplift db start' starts a server Uplift manages)? Are the"
                    + " host, port, database name, user and password right?", e);
        }
    }

    /** {@code name} as a double-quoted SQL identifier, safe for any characters it contains. */
    public static String quoteIdentifier(String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a valid SQL identifier: '" + name + "'");
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** "URL as USER" for messages, without ever failing. */
    static String describe(Connection connection) {
        try {
            return connection.getMetaData().getURL() + " as " + connection.getMetaData().getUserName();
        } catch (SQLException e) {
            return "the database connection";
        }
    }
}
