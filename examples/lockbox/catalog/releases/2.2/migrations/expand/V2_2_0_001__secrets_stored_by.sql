-- Lockbox 2.2, expand (runs while 2.1 nodes still serve): secrets record the node that stored them.
-- Nullable and without a default: adding it is instant, and a 2.1 node's INSERT, which names its
-- columns, leaves it NULL. A short lock timeout: the ALTER waits for no long query of a serving node;
-- if it cannot have its lock soon, the migration fails and is retried by resuming the upgrade.
SET LOCAL lock_timeout = '5s';
ALTER TABLE secrets ADD COLUMN stored_by text;
