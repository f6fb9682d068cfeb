package io.uplift.db;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The version of a running PostgreSQL server.
 *
 * @param major  10, 14, 16, ... (9 for 9.x, whose real major has two parts)
 * @param number {@code server_version_num}, e.g. 160015
 * @param text   {@code server_version}, e.g. "16.15" or "10.23 (Debian 10.23-1)"
 */
public record ServerVersion(int major, int number, String text) {
    public static ServerVersion of(int number, String text) {
        // From 10 on the major is the number / 10000; before, 9.6.24 was 90624 and its major 9.6.
        return new ServerVersion(number / 10000, number, text);
    }

    /** Asks the server behind {@code connection}. */
    public static ServerVersion of(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            int number;
            try (ResultSet rs = statement.executeQuery("SHOW server_version_num")) {
                rs.next();
                number = Integer.parseInt(rs.getString(1).strip());
            }
            try (ResultSet rs = statement.executeQuery("SHOW server_version")) {
                rs.next();
                return of(number, rs.getString(1));
            }
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Could not read the server version over "
                    + Jdbc.describe(connection) + ": " + e.getMessage() + ". Check that the server is running.", e);
        }
    }
}
