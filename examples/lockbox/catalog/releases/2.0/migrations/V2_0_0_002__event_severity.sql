-- Lockbox 2.0: every event gets a severity (0 = info .. 4 = critical), derived from its kind.

ALTER TABLE events ADD COLUMN severity smallint;

UPDATE events SET severity = CASE
    WHEN kind = 'threat.detected' THEN 4
    WHEN kind IN ('login.failed', 'secret.delete', 'policy.changed') THEN 3
    WHEN kind IN ('secret.write', 'token.created', 'user.created') THEN 2
    WHEN kind IN ('secret.read', 'token.used') THEN 1
    ELSE 0
END;

ALTER TABLE events ALTER COLUMN severity SET DEFAULT 0;
ALTER TABLE events ALTER COLUMN severity SET NOT NULL;
