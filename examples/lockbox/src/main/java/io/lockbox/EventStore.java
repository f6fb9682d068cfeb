package io.lockbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Table events: audit events, with a severity from 2.0, partitioned by hash of id from 3.0. */
final class EventStore {
    /**
     * Event ids are the application's, in time order (the schema has no sequence for them): the next
     * one is max(id) + 1 under this transaction-scoped advisory lock, which every node takes alike.
     */
    private static final long EVENT_ID_LOCK = 0x4c6f636b626f7845L;

    private final ConnectionPool pool;
    private final ReleaseFeatures features;

    EventStore(ConnectionPool pool, ReleaseFeatures features) {
        this.pool = pool;
        this.features = features;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Event(long id, String occurredAt, String kind, String detail, Integer severity) {}

    long record(String kind, String detail, Integer severity) throws SQLException {
        return pool.write(conn -> {
            try (PreparedStatement lock = conn.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, EVENT_ID_LOCK);
                lock.execute();
            }
            long id;
            try (PreparedStatement ps = conn.prepareStatement("SELECT coalesce(max(id), 0) + 1 FROM events"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            String sql = features.eventSeverity()
                    ? "INSERT INTO events (id, occurred_at, kind, payload, severity) VALUES (?, now(), ?, jsonb_build_object('detail', ?::text), ?)"
                    : "INSERT INTO events (id, occurred_at, kind, payload) VALUES (?, now(), ?, jsonb_build_object('detail', ?::text))";
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                ps.setLong(1, id);
                ps.setString(2, kind);
                ps.setString(3, detail);
                if (features.eventSeverity()) {
                    ps.setInt(4, severity != null ? severity : severityOf(kind));
                }
                ps.executeUpdate();
            }
            return id;
        });
    }

    /**
     * The latest events. 3.0 orders by occurred_at, which its (kind, occurred_at) and occurred_at
     * indexes serve across the four hash partitions; before 3.0 the id order is the time order.
     */
    List<Event> latest(int limit, String kind) throws SQLException {
        String severity = features.eventSeverity() ? "severity" : "NULL::smallint";
        String order = features.partitionedEvents() ? "occurred_at DESC, id DESC" : "id DESC";
        String sql = "SELECT id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), kind, payload->>'detail', "
                + severity + " FROM events" + (kind == null ? "" : " WHERE kind = ?") + " ORDER BY " + order + " LIMIT ?";
        return pool.read(conn -> {
            List<Event> out = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                int i = 1;
                if (kind != null) {
                    ps.setString(i++, kind);
                }
                ps.setInt(i, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int s = rs.getInt(5);
                        Integer level = rs.wasNull() ? null : s; // wasNull() speaks of the last column read
                        out.add(new Event(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), level));
                    }
                }
            }
            return out;
        });
    }

    /** The same mapping as the 2.0 migration V2_0_0_002__event_severity.sql applied to the existing events. */
    static int severityOf(String kind) {
        return switch (kind) {
            case "threat.detected" -> 4;
            case "login.failed", "secret.delete", "policy.changed" -> 3;
            case "secret.write", "token.created", "user.created" -> 2;
            case "secret.read", "token.used" -> 1;
            default -> 0;
        };
    }
}
