package io.uplift.dbmove;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.db.OsUser;
import io.uplift.db.PgBinaries;
import io.uplift.db.PgServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A new PostgreSQL server of the target version for --target-version: initialised in a new folder,
 * started on a free loopback port, with the source's user (same name and password) owning an
 * empty database of the source's name. It keeps running after the move: it is the new home of the data.
 */
public final class NewServer {
    private NewServer() {}

    public record Started(PgServer server, PgUrl url) {}

    public static Started create(int major, Path dataDir, PgUrl source) {
        if (Files.exists(dataDir)) {
            throw new UpliftException(ErrorCode.USAGE, "--target-dir " + dataDir + " already exists; a new server needs a new folder.");
        }
        PgServer server = new PgServer(PgBinaries.forMajor(major), dataDir, 0, OsUser.serverUser());
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        String admin = HexFormat.of().formatHex(bytes);
        server.initdb("postgres", admin);
        server.start();
        try (Connection conn = Jdbc.connect(server.jdbcUrl("postgres"), "postgres", admin); Statement st = conn.createStatement()) {
            String user = TableInfo.quote(source.user());
            try (PreparedStatement ps = conn.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
                ps.setString(1, source.user());
                if (!ps.executeQuery().next()) {
                    st.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + source.password().replace("'", "''") + "'");
                }
            }
            st.execute("CREATE DATABASE " + TableInfo.quote(source.database()) + " OWNER " + user + " ENCODING 'UTF8' TEMPLATE template0");
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_SERVER, "The new PostgreSQL " + major + " server in " + dataDir
                    + " started, but preparing its database failed: " + e.getMessage(), e);
        }
        return new Started(server, new PgUrl("127.0.0.1", server.port(), source.database(), source.user(), source.password()));
    }
}
