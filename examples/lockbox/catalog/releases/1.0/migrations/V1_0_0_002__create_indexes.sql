-- Lockbox 1.0: secondary indexes for the event views.

CREATE INDEX events_occurred_at_idx ON events (occurred_at);
CREATE INDEX event_threats_threat_id_idx ON event_threats (threat_id);
