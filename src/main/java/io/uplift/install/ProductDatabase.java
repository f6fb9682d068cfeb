package io.uplift.install;

import io.uplift.api.ServerState;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.db.OsUser;
import io.uplift.db.PgBinaries;
import io.uplift.db.PgServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The installation's database as Uplift reaches it: through config/database.properties, after
 * starting the server first when Uplift manages it and it is down (after a reboot, say).
 */
public final class ProductDatabase {
    /** What {@link #ensureRunning} found: not managed, already running, or started by this call. */
    private final Installation installation;

    public ProductDatabase(Installation installation) {
        this.installation = installation;
    }

    public Optional<PgServer> managedServer() {
        ManagedDatabase m = installation.state().managedDatabase();
        if (m == null) {
            return Optional.empty();
        }
        return Optional.of(new PgServer(PgBinaries.forMajor(m.major()), Path.of(m.dataDir()), m.port(), OsUser.serverUser(m.osUser())));
    }

    public ServerState ensureRunning() {
        Optional<PgServer> server = managedServer();
        if (server.isEmpty()) {
            return ServerState.NOT_MANAGED;
        }
        if (server.get().isRunning()) {
            return ServerState.RUNNING;
        }
        server.get().start();
        return ServerState.STARTED;
    }

    public ServerState stop() {
        PgServer server = managedServer().orElseThrow(() -> new UpliftException(ErrorCode.USAGE,
                "Uplift does not manage the database server of " + installation.home() + " (see config/database.properties): stop it the way it was started."));
        if (!server.isRunning()) {
            return ServerState.STOPPED;
        }
        server.stop();
        return ServerState.STOPPED;
    }

    /** Stops a server this installation manages or managed (the old one after a move). */
    public void stopServer(ManagedDatabase m) {
        PgServer server = new PgServer(PgBinaries.forMajor(m.major()), Path.of(m.dataDir()), m.port(), OsUser.serverUser(m.osUser()));
        if (server.isRunning()) {
            server.stop();
        }
    }

    /** Opens a connection with the node's settings; an unreachable server is DATABASE_UNREACHABLE. */
    public Connection connect() {
        DatabaseSettings s = installation.databaseSettings();
        return Jdbc.connect(s.url(), s.user(), s.password());
    }

    /** Starts a managed server if needed, then looks at the database; never throws for a dead server. */
    public Probe probe() {
        ServerState state;
        try {
            state = ensureRunning();
        } catch (UpliftException e) {
            return new Probe(ServerState.STOPPED, DatabaseProbe.unreachable(e.getMessage()));
        }
        try (Connection conn = connect()) {
            return new Probe(state, DatabaseProbe.of(conn));
        } catch (UpliftException e) {
            return new Probe(state, DatabaseProbe.unreachable(e.getMessage()));
        } catch (SQLException e) {
            return new Probe(state, DatabaseProbe.unreachable("the server answered but the query failed: " + e.getMessage()));
        }
    }

    public record Probe(ServerState serverState, DatabaseProbe database) {}
}
