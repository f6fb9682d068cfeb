package io.uplift.cluster;

import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Version;
import io.uplift.plan.Plan;
import io.uplift.plan.Planner;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a cluster upgrade can carry today, decided before anything is touched. The plan must exist,
 * and it must not move the database to another server: that changes every node's
 * config/database.properties, which only the primary's upgrade would change, so the other nodes
 * would come back pointing at the old server. Such a release is refused with the way around it.
 *
 * <p>A plan that rotates the keys is carried: the primary's rotation publishes its new key wrapped,
 * every other node adds it and proves it decrypts every value, and only then do the old keys
 * retire everywhere ({@link ClusterKeyHandover}).
 */
final class ClusterPlanLimits {
    private ClusterPlanLimits() {}

    static Optional<String> refusal(Catalog catalog, String from, String to, int serverMajor) {
        Plan plan;
        try {
            plan = new Planner(catalog).plan(Version.parse(from), Version.parse(to), OptionalInt.of(serverMajor));
        } catch (UpliftException | IllegalArgumentException e) {
            return Optional.of("no upgrade plan from " + from + " to " + to + ": " + e.getMessage());
        }
        if (plan.isEmpty()) {
            return Optional.of("the database is at " + from + " already: nothing to upgrade");
        }
        if (plan.databaseMove().isPresent()) {
            return Optional.of("the plan to " + to + " moves the database to PostgreSQL " + plan.databaseMove().get().toMajor()
                    + ", which a cluster upgrade cannot carry to every node yet: move it first ('uplift db move'), point every node's"
                    + " config/database.properties at the new server, then ask again");
        }
        return Optional.empty();
    }
}
