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
 * and nothing it carries is refused here any more: the checks of ClusterReadiness and the mode of
 * ClusterModeChoice decide the rest.
 *
 * <p>A plan that moves the database to a newer PostgreSQL is carried: the primary's move takes the
 * cluster's tables along and leaves a marker in the old database, and every other node's agent
 * follows it there ({@link DatabaseRelocation}, {@link RelocationFollower}).
 *
 * <p>A plan that rotates the keys is carried: the primary's rotation publishes its new key wrapped,
 * every other node adds it and proves it decrypts every value, and only then do the old keys
 * retire everywhere ({@link ClusterKeyHandover}).
 */
final class ClusterPlanLimits {
    private ClusterPlanLimits() {}

    /** @param previousStillAdmitted a rolling upgrade to {@code to} awaits its finalize: an empty plan is then a finalize, not nothing */
    static Optional<String> refusal(Catalog catalog, String from, String to, int serverMajor, boolean previousStillAdmitted) {
        Plan plan;
        try {
            plan = new Planner(catalog).plan(Version.parse(from), Version.parse(to), OptionalInt.of(serverMajor));
        } catch (UpliftException | IllegalArgumentException e) {
            return Optional.of("no upgrade plan from " + from + " to " + to + ": " + e.getMessage());
        }
        if (plan.isEmpty() && previousStillAdmitted) {
            return Optional.empty();
        }
        if (plan.isEmpty()) {
            return Optional.of("the database is at " + from + " already: nothing to upgrade");
        }
        return Optional.empty();
    }
}
