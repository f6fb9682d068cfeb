package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.db.OsUser;
import io.uplift.db.PgBinaries;
import io.uplift.db.PgServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A new PostgreSQL server of the target version: initialised in its own folder, started on a
 * loopback port, with the source's user (same name and password) owning an empty database of the
 * source's name. It keeps running after the move: it is the new home of the data.
 */
public final class NewServer {
    private NewServer() {}

    public record Started(PgServer server, PgUrl url) {}

    /** For 'db move --target-version': a folder that must not exist yet. */
    public static Started create(int major, Path dataDir, PgUrl source) {
        if (Files.exists(dataDir)) {
            throw new UpliftException(ErrorCode.USAGE, "--target-dir " + dataDir + " already exists; a new server needs a new folder.");
        }
        return ensure(major, dataDir, 0, randomPassword(), source);
    }

    /**
     * Brings the server to "initialised, running, role and database present" from wherever an
     * earlier, interrupted call left it; a half-initialised folder is started over.
     *
     * @param port the port to use, or 0 for a free one (the caller records the result for next time)
     */
    public static Started ensure(int major, Path dataDir, int port, String adminPassword, PgUrl source) {
        PgServer server = new PgServer(PgBinaries.forMajor(major), dataDir, port, OsUser.serverUser());
        if (!server.isInitialised()) {
            deleteTree(dataDir);
            server.initdb("postgres", adminPassword);
        }
        if (!server.isRunning()) {
            server.start();
        }
        try (Connection conn = Jdbc.connect(server.jdbcUrl("postgres"), "postgres", adminPassword); Statement st = conn.createStatement()) {
            String user = TableInfo.quote(source.user());
            if (!exists(conn, "SELECT 1 FROM pg_roles WHERE rolname = ?", source.user())) {
                st.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + source.password().replace("'", "''") + "'");
            }
            if (!exists(conn, "SELECT 1 FROM pg_database WHERE datname = ?", source.database())) {
                st.execute("CREATE DATABASE " + TableInfo.quote(source.database()) + " OWNER " + user + " ENCODING 'UTF8' TEMPLATE template0");
            }
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "The new PostgreSQL " + major + " server in " + dataDir
                    + " runs, but preparing its database failed: " + e.getMessage(), e);
        }
        return new Started(server, new PgUrl("127.0.0.1", server.port(), source.database(), source.user(), source.password()));
    }

    public static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static boolean exists(Connection conn, String sql, String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            ps.setString(1, name);
            return ps.executeQuery().next();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "Cannot clear the half-initialised folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
