package io.uplift.catalog;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a release needs of the node it is installed on.
 *
 * @param moveDatabaseTo the PostgreSQL major the plan moves an older server to; empty means an
 *                       older server is a failure the operator must fix by hand
 */
public record Prerequisites(VersionRange postgresql, OptionalInt moveDatabaseTo, VersionRange java,
        long freeDiskMb, Optional<String> osFamily) {
    public static Prerequisites none() {
        return new Prerequisites(VersionRange.any(), OptionalInt.empty(), VersionRange.any(), 0, Optional.empty());
    }
}
