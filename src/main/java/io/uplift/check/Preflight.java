package io.uplift.check;

import io.uplift.api.CheckReport;
import io.uplift.api.CheckResult;
import java.util.ArrayList;
import java.util.List;

/** Runs every preflight check; one check failing with an exception does not hide the others. */
public final class Preflight {
    private final List<PreflightCheck> checks;

    public Preflight(List<PreflightCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /**
     * Every check, for 'uplift check'. The cluster check is here only, not in {@link #duringUpgrade()}:
     * in a primary-first cluster upgrade the other nodes are stopped on purpose before the primary's
     * upgrade runs its checks, so they are silent by design and the check would refuse every such
     * upgrade. The operator runs 'uplift check' before anything is touched, with every node up, which
     * is when the cluster must agree.
     */
    public static Preflight standard() {
        List<PreflightCheck> all = new ArrayList<>(duringUpgrade().checks);
        all.add(new NoUpgradeRunningCheck());
        all.add(new ClusterNodesCheck());
        return new Preflight(all);
    }

    /**
     * The checks an upgrade runs itself: without the lock check, since the upgrade holds that lock
     * and has written its journal by then.
     */
    public static Preflight duringUpgrade() {
        return new Preflight(List.of(
                new ReleasePackagesCheck(),
                new DatabaseReachableCheck(),
                new DatabaseVersionCheck(),
                new JavaVersionCheck(),
                new OsFamilyCheck(),
                new DiskSpaceCheck(),
                new HomeWritableCheck(),
                new NodeLocalFilesCheck(),
                new KeysetMatchesDatabaseCheck(),
                new ServiceAccountCheck()));
    }

    public CheckReport run(CheckContext context) {
        List<CheckResult> results = new ArrayList<>();
        for (PreflightCheck check : checks) {
            try {
                results.add(check.run(context));
            } catch (RuntimeException e) {
                results.add(CheckResult.fail(check.getClass().getSimpleName(), "Check " + check.getClass().getSimpleName(),
                        "the check itself failed: " + e.getMessage(), "report this to the vendor with the message above"));
            }
        }
        return new CheckReport(context.plan().installed().toString(), context.plan().target().toString(), results);
    }
}
