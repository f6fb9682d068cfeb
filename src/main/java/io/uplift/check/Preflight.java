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

    public static Preflight standard() {
        return new Preflight(List.of(
                new DatabaseReachableCheck(),
                new DatabaseVersionCheck(),
                new JavaVersionCheck(),
                new OsFamilyCheck(),
                new DiskSpaceCheck(),
                new HomeWritableCheck(),
                new NodeLocalFilesCheck(),
                new ServiceAccountCheck(),
                new NoUpgradeRunningCheck()));
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
