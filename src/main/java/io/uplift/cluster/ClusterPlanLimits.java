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
 * and it must neither move the database to another server nor rotate the keys: both change
 * node-local files of every node (config/database.properties, config/keyset.json) that only the
 * primary's upgrade would change, so the other nodes would come back pointing at the old server or
 * holding a keyset that no longer decrypts the data. Until the agents carry those changes to each
 * node themselves, such a release is refused with the way around it.
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
        if (plan.databaseMove().isPresent()) {
            return Optional.of("the plan to " + to + " moves the database to PostgreSQL " + plan.databaseMove().get().toMajor()
                    + ", which a cluster upgrade cannot carry to every node yet: move it first ('uplift db move'), point every node's"
                    + " config/database.properties at the new server, then ask again");
        }
        Optional<String> rotating = plan.hops().stream().filter(h -> h.steps().stream().anyMatch(s -> s.kind() == StepKind.ROTATE_KEYS))
                .map(h -> h.to().toString()).findFirst();
        return rotating.map(v -> "release " + v + " rotates the encryption keys, and a cluster upgrade cannot carry the new key to every"
                + " node's keyset yet: upgrade the cluster to the release before " + v + ", then upgrade each node with 'uplift upgrade'"
                + " after stopping the others");
    }
}
