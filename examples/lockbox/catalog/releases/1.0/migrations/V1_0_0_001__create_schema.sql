-- Lockbox 1.0: the first schema. Runs on PostgreSQL 10 and later.

CREATE TABLE users (
    id         bigserial   PRIMARY KEY,
    name       text        NOT NULL,
    email      text        NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- value holds a Tink AEAD ciphertext made with the installation keyset (config/keyset.json);
-- key_id is the id of the Tink key that made it; the associated data is the row's id as decimal text.
CREATE TABLE secrets (
    id         bigserial   PRIMARY KEY,
    name       text        NOT NULL UNIQUE,
    value      bytea       NOT NULL,
    key_id     bigint      NOT NULL,
    owner_id   bigint      NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Only the SHA-256 of a token (lower-case hex) is stored, never the token.
CREATE TABLE app_tokens (
    id           bigserial   PRIMARY KEY,
    name         text        NOT NULL UNIQUE,
    description  text,
    scope        text        NOT NULL,
    token_hash   text        NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    format       text        NOT NULL DEFAULT 'v1',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    CONSTRAINT app_tokens_format_check CHECK (format IN ('v1'))
);

-- Event ids are assigned by the application, in time order.
CREATE TABLE events (
    id          bigint      PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    user_id     bigint      REFERENCES users (id),
    kind        text        NOT NULL,
    source_ip   inet,
    payload     jsonb       NOT NULL DEFAULT '{}'
);

CREATE TABLE threats (
    id    bigserial PRIMARY KEY,
    name  text      NOT NULL UNIQUE,
    level text      NOT NULL CHECK (level IN ('low', 'medium', 'high', 'critical'))
);

CREATE TABLE event_threats (
    event_id  bigint NOT NULL REFERENCES events (id),
    threat_id bigint NOT NULL REFERENCES threats (id),
    PRIMARY KEY (event_id, threat_id)
);
