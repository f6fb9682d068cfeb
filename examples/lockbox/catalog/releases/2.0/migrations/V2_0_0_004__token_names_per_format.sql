-- Lockbox 2.0: a deprecated v1 token and its v2 replacement share their name until the operator
-- revokes the v1 one (uplift tokens reissue / revoke), so a name is unique per format only.

ALTER TABLE app_tokens DROP CONSTRAINT app_tokens_name_key;
ALTER TABLE app_tokens ADD CONSTRAINT app_tokens_name_format_key UNIQUE (name, format);
