package io.uplift.cluster;

import io.uplift.api.StepKind;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Version;
import io.uplift.plan.Plan;
import io.uplift.plan.Planner;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a cluster upgrade can carry today, decided before anything is touched. The plan must exist,
 * and it must not rotate the keys: the new key would reach only the primary's config/keyset.json,
 * and the other nodes would hold a keyset that no longer decrypts the data. Until the agents carry
 * the new key to each node themselves, such a release is refused with the way around it.
 *
 * <p>A plan that moves the database to a newer PostgreSQL is carried: the primary's move takes the
 * cluster's tables along and leaves a marker in the old database, and every other node's agent
 * follows it there ({@link DatabaseRelocation}, {@link RelocationFollower}).
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
        Optional<String> rotating = plan.hops().stream().filter(h -> h.steps().stream().anyMatch(s -> s.kind() == StepKind.ROTATE_KEYS))
                .map(h -> h.to().toString()).findFirst();
        return rotating.map(v -> "release " + v + " rotates the encryption keys, and a cluster upgrade cannot carry the new key to every"
                + " node's keyset yet: upgrade the cluster to the release before " + v + ", then upgrade each node with 'uplift upgrade'"
                + " after stopping the others");
    }
}
