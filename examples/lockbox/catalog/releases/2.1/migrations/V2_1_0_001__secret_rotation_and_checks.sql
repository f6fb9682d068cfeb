-- Lockbox 2.1: secrets remember when their value last changed; severities are range-checked.

ALTER TABLE secrets ADD COLUMN rotated_at timestamptz;
ALTER TABLE users ADD COLUMN disabled boolean NOT NULL DEFAULT false;
ALTER TABLE events ADD CONSTRAINT events_severity_check CHECK (severity BETWEEN 0 AND 4);
