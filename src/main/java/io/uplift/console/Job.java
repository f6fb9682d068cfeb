package io.uplift.console;

import io.uplift.Uplift;

/** Long work the console runs in its own process for a session (an upgrade, a rollback, a database move...). */
@FunctionalInterface
public interface Job {
    /**
     * Does the work through the facade, telling {@code listener} how it goes.
     *
     * @return one line saying how it ended, shown on the upgrade page
     */
    String run(Uplift uplift, RunListener listener) throws Exception;
}
