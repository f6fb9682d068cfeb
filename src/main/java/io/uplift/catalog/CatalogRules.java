package io.uplift.catalog;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/** Rules that involve more than one release: stepping stones that exist, and no cycles among them. */
final class CatalogRules {
    private final Problems problems;
    private final Map<Version, Integer> requiresLines;

    CatalogRules(Problems problems, Map<Version, Integer> requiresLines) {
        this.problems = problems;
        this.requiresLines = requiresLines;
    }

    void check(NavigableMap<Version, Release> releases) {
        Set<Version> reported = new HashSet<>();
        for (Release release : releases.values()) {
            for (Version required : release.requires()) {
                if (!releases.containsKey(required)) {
                    report(release, "requires " + required + ", which is not in the catalog; add that release or remove it from 'requires'");
                }
            }
            List<Version> cycle = findCycle(release.version(), releases, new ArrayList<>());
            if (cycle != null && reported.add(cycle.stream().min(Version::compareTo).orElseThrow())) {
                report(release, "the required stops form a cycle: " + String.join(" requires ",
                        cycle.stream().map(Version::toString).toList()) + "; no upgrade could ever satisfy it, remove one of them");
            } else if (cycle == null) {
                for (Version required : release.requires()) {
                    if (!required.isOlderThan(release.version())) {
                        report(release, "requires " + required + ", which is not older than " + release.version()
                                + " itself; a stepping stone must be an older release");
                    }
                }
            }
        }
    }

    /** Depth-first search along 'requires'; returns the cycle through start, start first and last. */
    private static List<Version> findCycle(Version at, Map<Version, Release> releases, List<Version> path) {
        if (!path.isEmpty() && at.equals(path.get(0))) {
            List<Version> cycle = new ArrayList<>(path);
            cycle.add(at);
            return cycle;
        }
        if (path.contains(at) || !releases.containsKey(at)) {
            return null;
        }
        path.add(at);
        for (Version next : releases.get(at).requires()) {
            List<Version> cycle = findCycle(next, releases, path);
            if (cycle != null) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        return null;
    }

    private void report(Release release, String message) {
        problems.add(release.folder().resolve("release.yaml"), requiresLines.getOrDefault(release.version(), 1), "requires", message);
    }
}
