package io.uplift.upgrade;

import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.keys.KeyLocks;

/** The upgrade's locks, lent to the keys commands so that a key change and an upgrade never run together. */
public final class KeyChangeLocks implements KeyLocks {
    public static final KeyLocks INSTANCE = new KeyChangeLocks();

    private KeyChangeLocks() {}

    @Override
    public Held change(Installation inst, String command) {
        return ChangeLock.take(inst, command)::close;
    }

    @Override
    public Held database(DatabaseSettings db) {
        return DatabaseLock.acquire(db)::close;
    }
}
