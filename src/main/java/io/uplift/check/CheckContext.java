package io.uplift.check;

import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.install.DatabaseProbe;
import io.uplift.install.Installation;
import io.uplift.plan.Plan;
import java.nio.file.Path;
import java.util.List;

/** Everything the preflight checks look at, gathered once so each check only judges. */
public record CheckContext(Installation installation, Catalog catalog, Plan plan, DatabaseProbe database,
        Path backupDir, int javaFeatureVersion, String osName, String currentUser) {

    /** The releases the plan installs, in order. */
    public List<Release> releasesOnPath() {
        return plan.hops().stream().map(h -> catalog.release(h.to()).orElseThrow()).toList();
    }
}
