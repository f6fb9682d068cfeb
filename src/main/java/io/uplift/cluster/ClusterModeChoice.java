package io.uplift.cluster;

import io.uplift.api.ClusterMode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Version;
import io.uplift.plan.Plan;
import io.uplift.plan.Planner;
import java.util.OptionalInt;

/**
 * How a cluster upgrade runs, from the catalog: rolling when the plan is one hop into a release that
 * declares cluster-mode: rolling and neither moves the database nor rotates keys (those change every
 * node's node-local files at once); primary-first otherwise. A plan with nothing left to install while
 * the previous release is still admitted (a rolling upgrade whose finalize did not happen) is rolling
 * too: asking again finalizes it.
 */
final class ClusterModeChoice {
    private ClusterModeChoice() {}

    static ClusterMode of(Catalog catalog, String from, String to, int serverMajor, boolean previousStillAdmitted) {
        Plan plan;
        Version target;
        try {
            target = Version.parse(to);
            plan = new Planner(catalog).plan(Version.parse(from), target, OptionalInt.of(serverMajor));
        } catch (UpliftException | IllegalArgumentException e) {
            return ClusterMode.PRIMARY_FIRST; // the plan limits refuse it with the reason
        }
        if (plan.isEmpty()) {
            return previousStillAdmitted ? ClusterMode.ROLLING : ClusterMode.PRIMARY_FIRST;
        }
        return plan.clusterMode(catalog);
    }
}
