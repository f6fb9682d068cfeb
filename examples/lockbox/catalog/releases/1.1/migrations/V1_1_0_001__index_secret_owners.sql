-- Lockbox 1.1 (maintenance): the "my secrets" page filters by owner.

CREATE INDEX secrets_owner_id_idx ON secrets (owner_id);

COMMENT ON TABLE secrets IS 'Secret values, encrypted with the installation keyset (Tink AEAD)';
COMMENT ON COLUMN secrets.key_id IS 'Id of the Tink key that encrypted value';
COMMENT ON COLUMN app_tokens.token_hash IS 'SHA-256 of the token, lower-case hex; the token itself is never stored';
