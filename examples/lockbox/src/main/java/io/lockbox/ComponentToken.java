package io.lockbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Set;

/**
 * The app token a remote component (a worker or proxy node) authenticates with: HOME/config/app-token
 * (node-local, mode 0600; the catalog's tokens.component-files names it for Uplift). The component
 * checks in with it at start and on every heartbeat, reading the file again each time, so a token the
 * node's agent replaced is used without a restart; each check-in records the token's use
 * (app_tokens.last_used_at), which is how Uplift sees the switch before it revokes the old token.
 * A web node holds no such token. The token is never logged: only the row id it matched.
 */
final class ComponentToken {
    static final String FILE = "config/app-token";
    private static final Set<String> COMPONENT_ROLES = Set.of("worker", "proxy");

    private final Path file;
    private final String role;
    private final ConnectionPool pool;
    private final LockboxLog log;
    private long lastMatched = -1;
    private String lastProblem = "";

    private ComponentToken(Path file, String role, ConnectionPool pool, LockboxLog log) {
        this.file = file;
        this.role = role;
        this.pool = pool;
        this.log = log;
    }

    /** The component's token of this node, or null for a role that holds none. */
    static ComponentToken of(NodeHome home, String role, ConnectionPool pool, LockboxLog log) {
        return COMPONENT_ROLES.contains(role) ? new ComponentToken(home.path(FILE), role, pool, log) : null;
    }

    /**
     * Authenticates with the token in the file and records its use. Never throws: a component that
     * cannot authenticate says why in the log (once per cause) and tries again at the next heartbeat.
     */
    synchronized void checkIn(boolean readOnly) {
        String token;
        try {
            if (Files.isSymbolicLink(file)) {
                problem("the " + role + " token file " + file + " is a symbolic link; replace it with the file itself (mode 0600)");
                return;
            }
            token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            problem("a " + role + " node authenticates with the app token in " + file + ", which does not exist; put the token there"
                    + " (mode 0600): 'lockbox token create NAME' prints one");
            return;
        } catch (IOException e) {
            problem("cannot read the " + role + " token file " + file + ": " + e.getMessage());
            return;
        }
        try {
            Tokens.Match match = pool.read(conn -> Tokens.find(conn, Tokens.sha256Hex(token)));
            if (match == null) {
                problem("the app token in " + file + " is not known (revoked, or of another installation); the " + role
                        + " component cannot authenticate until the file holds a valid token");
                return;
            }
            if (!readOnly) {
                pool.read(conn -> {
                    Tokens.touch(conn, match.id());
                    return null;
                });
            }
            lastProblem = "";
            if (match.id() != lastMatched) {
                lastMatched = match.id();
                log.info("The " + role + " component authenticated with the app token in " + FILE + " (token row " + match.id() + ")");
            }
        } catch (SQLException e) {
            if (!DatabaseErrors.isReadOnly(e)) {
                problem("the " + role + " component could not authenticate: database error " + e.getSQLState() + ": " + e.getMessage());
            }
        }
    }

    private void problem(String message) {
        if (!message.equals(lastProblem)) {
            lastProblem = message;
            log.error(message);
        }
    }
}
