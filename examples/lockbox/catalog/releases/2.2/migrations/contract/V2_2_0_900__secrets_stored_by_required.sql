-- Lockbox 2.2, contract (runs at finalize, once every node runs 2.2): from now on every secret names
-- the node that stored it. A 2.1 node's INSERT would now fail, which is why this waits for finalize.
-- Secrets stored before 2.2 (or by a 2.1 node while the cluster was mixed) are marked 'before-2.2'.
SET LOCAL lock_timeout = '5s';
UPDATE secrets SET stored_by = 'before-2.2' WHERE stored_by IS NULL;
ALTER TABLE secrets ALTER COLUMN stored_by SET NOT NULL;
