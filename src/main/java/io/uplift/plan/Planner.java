package io.uplift.plan;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.catalog.Version;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Finds the shortest legal path from the installed version to a target release (docs/catalog.md,
 * "How the planner reads it") and lays out the steps of every hop. Pure logic: reads nothing but
 * the catalog it is given.
 */
public final class Planner {
    private final Catalog catalog;

    public Planner(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @param databaseMajor the PostgreSQL major version the installation's database runs on now,
     *                      or empty when it is not known (then no database move is planned)
     */
    public Plan plan(Version installed, Version target, OptionalInt databaseMajor) {
        if (catalog.release(installed).isEmpty()) {
            throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The installed version " + installed
                    + " is not in the release catalog " + catalog.folder() + " (it knows " + String.join(", ", catalog.versions())
                    + "): use the catalog that shipped with this installation (--catalog DIR)");
        }
        Release targetRelease = catalog.release(target).orElseThrow(() -> new UpliftException(ErrorCode.PLAN_IMPOSSIBLE,
                "Version " + target + " is not in the release catalog " + catalog.folder() + "; the versions it knows are "
                        + String.join(", ", catalog.versions()) + "."));
        if (target.isOlderThan(installed)) {
            throw new UpliftException(ErrorCode.PLAN_IMPOSSIBLE, catalog.product().name() + " " + installed
                    + " is installed and " + target + " is older: Uplift does not downgrade. To go back after an upgrade, run "
                    + "'uplift rollback'; otherwise restore a backup taken before the upgrade.");
        }
        if (target.equals(installed)) {
            return new Plan(installed, target, List.of());
        }
        List<Version> path = shortestPath(installed, targetRelease);
        List<Hop> hops = new ArrayList<>();
        OptionalInt major = databaseMajor;
        Version from = installed;
        for (Version to : path) {
            Release release = catalog.release(to).orElseThrow();
            Optional<DatabaseMove> move = databaseMove(release, major);
            if (move.isPresent()) {
                major = OptionalInt.of(move.get().toMajor());
            }
            List<Release> covered = List.copyOf(catalog.releases().subMap(from, false, to, true).values());
            hops.add(new Hop(from, to, move, HopSteps.of(covered, move, hops.isEmpty(), to.equals(path.get(path.size() - 1)))));
            from = to;
        }
        return new Plan(installed, target, List.copyOf(hops));
    }

    private static Optional<DatabaseMove> databaseMove(Release release, OptionalInt major) {
        if (major.isEmpty() || release.prerequisites().moveDatabaseTo().isEmpty()) {
            return Optional.empty();
        }
        boolean accepted = release.prerequisites().postgresql().contains(Version.parse(Integer.toString(major.getAsInt())));
        int to = release.prerequisites().moveDatabaseTo().getAsInt();
        return accepted || to <= major.getAsInt() ? Optional.empty() : Optional.of(new DatabaseMove(major.getAsInt(), to));
    }

    /** A hop a -> b is legal when docs/catalog.md says so. */
    boolean canHop(Version a, Release b) {
        if (!b.version().isNewerThan(a) || !b.upgradeFrom().contains(a)) {
            return false;
        }
        if (b.requires().stream().anyMatch(r -> r.isNewerThan(a))) {
            return false;
        }
        return catalog.releases().subMap(a, false, b.version(), false).values().stream().noneMatch(Release::requiredStop);
    }

    private List<Version> shortestPath(Version installed, Release target) {
        // Distances to the target over the releases between installed and target, computed backwards.
        List<Release> candidates = new ArrayList<>(catalog.releases().subMap(installed, false, target.version(), true).values());
        Map<Version, Integer> toTarget = new HashMap<>();
        toTarget.put(target.version(), 0);
        for (int i = candidates.size() - 2; i >= 0; i--) {
            Version v = candidates.get(i).version();
            candidates.stream().filter(next -> toTarget.containsKey(next.version()) && canHop(v, next))
                    .mapToInt(next -> toTarget.get(next.version()) + 1).min()
                    .ifPresent(d -> toTarget.put(v, d));
        }
        List<Version> path = new ArrayList<>();
        Version at = installed;
        while (!at.equals(target.version())) {
            Version from = at;
            // Among the next stops with the fewest hops left, the newest: fewer intermediate versions to run.
            Optional<Release> next = candidates.stream()
                    .filter(r -> toTarget.containsKey(r.version()) && canHop(from, r))
                    .min((x, y) -> {
                        int c = Integer.compare(toTarget.get(x.version()), toTarget.get(y.version()));
                        return c != 0 ? c : y.version().compareTo(x.version());
                    });
            if (next.isEmpty()) {
                throw noPath(installed, target);
            }
            at = next.get().version();
            path.add(at);
        }
        return path;
    }

    private UpliftException noPath(Version installed, Release target) {
        List<Version> reachable = new ArrayList<>();
        List<Version> frontier = new ArrayList<>(List.of(installed));
        while (!frontier.isEmpty()) {
            Version v = frontier.remove(0);
            for (Release r : catalog.releases().tailMap(v, false).values()) {
                if (!reachable.contains(r.version()) && canHop(v, r)) {
                    reachable.add(r.version());
                    frontier.add(r.version());
                }
            }
        }
        String reach = reachable.isEmpty() ? "no release at all"
                : reachable.stream().sorted().map(Version::toString).collect(Collectors.joining(", "));
        StringBuilder why = new StringBuilder("There is no upgrade path from " + installed + " to " + target.version() + ": "
                + target.version() + " installs over versions '" + target.upgradeFrom() + "'");
        if (!target.requires().isEmpty()) {
            why.append(" after ").append(target.requires().stream().map(Version::toString).collect(Collectors.joining(", ")));
        }
        why.append(", and from ").append(installed).append(" Uplift can reach ").append(reach).append(". ");
        why.append("Ask the vendor for a catalog with a stepping-stone release, or upgrade to one of those first.");
        return new UpliftException(ErrorCode.PLAN_IMPOSSIBLE, why.toString());
    }
}
