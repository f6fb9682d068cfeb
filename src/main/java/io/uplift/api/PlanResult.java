package io.uplift.api;

import java.util.List;
import java.util.Optional;

/**
 * What 'uplift plan' returns: the hops from the installed version to the target, with the product's
 * display name for printing. Versions are their printed form; no hops means there is nothing to do.
 *
 * @param clusterMode how a cluster takes this plan ('uplift cluster upgrade'): ROLLING when it is one hop
 *                    into a release that declares it and neither moves the database nor rotates keys
 */
public record PlanResult(String product, String installed, String target, List<Hop> hops, ClusterMode clusterMode) {
    public PlanResult {
        hops = List.copyOf(hops);
    }

    public boolean isEmpty() {
        return hops.isEmpty();
    }

    /** The upgrade from one version to the next release on the path, and its steps in order. */
    public record Hop(String from, String to, Optional<DatabaseMove> databaseMove, List<Step> steps) {
        public Hop {
            steps = List.copyOf(steps);
        }
    }

    /** A move of the product database to a server of another PostgreSQL major version. */
    public record DatabaseMove(int fromMajor, int toMajor) {}
}
