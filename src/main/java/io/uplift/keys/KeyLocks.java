package io.uplift.keys;

import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;

/**
 * The locks a change of the keyset runs under, besides the home lock: given by the facade, because
 * they belong to the upgrade package, which itself uses this one (taking them here directly would
 * make the two packages depend on each other).
 */
public interface KeyLocks {
    /** A held lock; closing it cannot fail. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /** The home lock for a change outside an upgrade, refused while an upgrade is unfinished ('keys protect'). */
    Held change(Installation inst, String command);

    /** The product database's advisory lock, so that no upgrade on another node runs beside a rotation. */
    Held database(DatabaseSettings db);
}
