-- Lockbox 3.0: events become a table partitioned by hash of id (PostgreSQL 14 or later).
-- The primary key stays (id), so event_threats keeps its foreign key to events (id), which needs
-- PostgreSQL 12 or later for a partitioned table. Every row is moved: new table, copy, drop the
-- old one, rename; keys and indexes are built after the copy, which is faster than maintaining them.

ALTER TABLE event_threats DROP CONSTRAINT event_threats_event_id_fkey;

CREATE TABLE events_partitioned (
    id          bigint      NOT NULL,
    occurred_at timestamptz NOT NULL,
    user_id     bigint,
    kind        text        NOT NULL,
    source_ip   inet,
    payload     jsonb       NOT NULL DEFAULT '{}',
    severity    smallint    NOT NULL DEFAULT 0
) PARTITION BY HASH (id);

CREATE TABLE events_p0 PARTITION OF events_partitioned FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE events_p1 PARTITION OF events_partitioned FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE events_p2 PARTITION OF events_partitioned FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE events_p3 PARTITION OF events_partitioned FOR VALUES WITH (MODULUS 4, REMAINDER 3);

INSERT INTO events_partitioned (id, occurred_at, user_id, kind, source_ip, payload, severity)
SELECT id, occurred_at, user_id, kind, source_ip, payload, severity FROM events;

DROP TABLE events;
ALTER TABLE events_partitioned RENAME TO events;

ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id);
ALTER TABLE events ADD CONSTRAINT events_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id);
ALTER TABLE events ADD CONSTRAINT events_severity_check CHECK (severity BETWEEN 0 AND 4);
CREATE INDEX events_occurred_at_idx ON events (occurred_at);
CREATE INDEX events_kind_occurred_at_idx ON events (kind, occurred_at);

ALTER TABLE event_threats ADD CONSTRAINT event_threats_event_id_fkey
    FOREIGN KEY (event_id) REFERENCES events (id);

COMMENT ON TABLE events IS 'Audit events, partitioned by hash of id';
