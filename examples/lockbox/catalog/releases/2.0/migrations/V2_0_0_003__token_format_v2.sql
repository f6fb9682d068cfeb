-- Lockbox 2.0: app tokens of format v2; v1 tokens keep working but are deprecated.

ALTER TABLE app_tokens DROP CONSTRAINT app_tokens_format_check;
ALTER TABLE app_tokens ADD CONSTRAINT app_tokens_format_check CHECK (format IN ('v1', 'v2'));
ALTER TABLE app_tokens ALTER COLUMN format SET DEFAULT 'v2';
