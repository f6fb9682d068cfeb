package io.lockbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The HTTP JSON API (a contract: the load generator and the tests rely on it). /health answers
 * without a token; every /api/* call needs "Authorization: Bearer TOKEN" of a token in app_tokens.
 * Reads keep working in maintenance; a write the database refuses with SQLSTATE 25006 gets 503 with
 * Retry-After.
 */
final class Api {
    private final ReleaseFeatures features;
    private final Supplier<String> node;
    private final ConnectionPool pool;
    private final ServiceState state;
    private final SecretStore secrets;
    private final EventStore events;
    private final ThreatStore threats;
    private final LockboxLog log;

    Api(ReleaseFeatures features, Supplier<String> node, ConnectionPool pool, ServiceState state, Keyring keyring, LockboxLog log) {
        this.features = features;
        this.node = node;
        this.pool = pool;
        this.state = state;
        this.secrets = new SecretStore(pool, keyring, features.storedBy() ? node : null);
        this.events = new EventStore(pool, features);
        this.threats = new ThreatStore(pool, features);
        this.log = log;
    }

    void handle(Exchange x) throws IOException {
        try {
            route(x);
        } catch (ApiError e) {
            x.error(e);
        } catch (SQLException e) {
            if (DatabaseErrors.isReadOnly(e)) {
                state.writeRefused();
                x.error(ApiError.readOnly());
            } else if (DatabaseErrors.isConnectionLost(e)) {
                log.error(x.method() + " " + x.path() + ": the database connection was lost: " + e.getMessage());
                x.error(new ApiError(503, "The database is not reachable right now. Retry later."));
            } else {
                log.error(x.method() + " " + x.path() + ": database error " + e.getSQLState() + ": " + e.getMessage());
                x.error(new ApiError(500, "The database refused the request (SQLSTATE " + e.getSQLState() + "); see data/lockbox.log."));
            }
        } catch (RuntimeException e) {
            log.error(x.method() + " " + x.path() + ": " + e);
            x.error(new ApiError(500, "Internal error; see data/lockbox.log."));
        }
    }

    /** What the status page shows: the count of secrets is null when the database does not answer. */
    StatusPage.Status status() {
        Long count;
        try {
            count = secrets.count();
        } catch (SQLException e) {
            count = null;
        }
        return new StatusPage.Status(features.version(), node.get(), state.readOnly(), count);
    }

    private void route(Exchange x) throws ApiError, SQLException, IOException {
        String path = x.path();
        String method = x.method();
        if (path.equals("/health")) {
            requireMethod(x, "GET");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("product", "lockbox");
            body.put("version", features.version());
            body.put("node", node.get());
            body.put("state", state.readOnly() ? "read-only" : "serving");
            x.send(200, body);
            return;
        }
        if (!path.startsWith("/api/")) {
            throw new ApiError(404, "No such resource: " + path);
        }
        authenticate(x);
        if (path.equals("/api/secrets")) {
            if (method.equals("POST")) {
                JsonNode body = x.body();
                String name = Exchange.text(body, "name");
                String value = Exchange.text(body, "value");
                try {
                    long id = secrets.create(name, value);
                    state.writeSucceeded();
                    x.send(201, Map.of("id", id));
                } catch (SecretStore.NameTaken e) {
                    throw new ApiError(409, "A secret named '" + name + "' exists already; choose another name.");
                }
            } else {
                requireMethod(x, "GET");
                x.send(200, Map.of("secrets", secrets.list(x.limit(100, 1000))));
            }
        } else if (path.startsWith("/api/secrets/")) {
            requireMethod(x, "GET");
            long id = id(path.substring("/api/secrets/".length()));
            SecretStore.Revealed secret;
            try {
                secret = secrets.reveal(id);
            } catch (GeneralSecurityException e) {
                log.error("Secret " + id + " does not decrypt with this node's keyset");
                throw new ApiError(500, "The value of secret " + id + " does not decrypt with this node's keyset (config/keyset.json).");
            }
            if (secret == null) {
                throw new ApiError(404, "There is no secret " + id + ".");
            }
            x.send(200, secret);
        } else if (path.equals("/api/events")) {
            if (method.equals("POST")) {
                JsonNode body = x.body();
                String kind = Exchange.text(body, "kind");
                String detail = Exchange.text(body, "detail");
                long id = events.record(kind, detail, severity(body));
                state.writeSucceeded();
                x.send(201, Map.of("id", id));
            } else {
                requireMethod(x, "GET");
                String kind = x.query().get("kind");
                x.send(200, Map.of("events", events.latest(x.limit(100, 1000), kind == null || kind.isEmpty() ? null : kind)));
            }
        } else if (path.equals("/api/threats")) {
            requireMethod(x, "GET");
            x.send(200, Map.of("threats", threats.list(x.limit(1000, 10000))));
        } else {
            throw new ApiError(404, "No such resource: " + path);
        }
    }

    /** Optional "severity" 0..4 (2.0 and later); without it, derived from the kind. */
    private Integer severity(JsonNode body) throws ApiError {
        JsonNode v = body.get("severity");
        if (v == null || v.isNull() || !features.eventSeverity()) {
            return null;
        }
        if (!v.isInt() || v.asInt() < 0 || v.asInt() > 4) {
            throw ApiError.badRequest("The field 'severity' must be a whole number from 0 (info) to 4 (critical).");
        }
        return v.asInt();
    }

    /**
     * The token's SHA-256 must be in app_tokens. last_used_at is refreshed at most once a minute, and a
     * refusal of that update (maintenance) never fails the call.
     */
    private void authenticate(Exchange x) throws ApiError, SQLException {
        String header = x.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw new ApiError(401, "Send an app token: Authorization: Bearer TOKEN (create one with 'lockbox token create NAME').");
        }
        String hash = Tokens.sha256Hex(header.substring(7).strip());
        Tokens.Match match = pool.read(conn -> Tokens.find(conn, hash));
        if (match == null) {
            throw new ApiError(401, "The app token is not known (revoked, or of another installation).");
        }
        if (match.lastUseStale() && !state.readOnly()) {
            try {
                pool.read(conn -> {
                    Tokens.touch(conn, match.id());
                    return null;
                });
            } catch (SQLException e) {
                if (DatabaseErrors.isReadOnly(e)) {
                    state.writeRefused();
                }
            }
        }
    }

    private static void requireMethod(Exchange x, String method) throws ApiError {
        if (!x.method().equals(method)) {
            throw new ApiError(405, x.method() + " is not allowed on " + x.path() + "; use " + method + ".");
        }
    }

    private static long id(String text) throws ApiError {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ApiError(404, "There is no secret '" + text + "': ids are whole numbers.");
        }
    }
}
