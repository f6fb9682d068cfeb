package io.uplift.check;

import io.uplift.api.CheckResult;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Release;
import io.uplift.catalog.ReleaseChecksums;
import io.uplift.catalog.TreeHash;
import java.util.ArrayList;
import java.util.List;

/**
 * The program files, migrations and task SQL of every release on the path against the checksums the
 * vendor put in the catalog (every release must declare both): a damaged or tampered package is refused
 * before anything is touched.
 */
final class ReleasePackagesCheck implements PreflightCheck {
    static final String ID = "release-packages";
    private static final String TITLE = "Release packages";

    @Override
    public CheckResult run(CheckContext c) {
        List<String> corrupt = new ArrayList<>();
        List<String> migrations = new ArrayList<>();
        for (Release r : c.releasesOnPath()) {
            if (!r.programFilesSha256().equals(TreeHash.of(r.programFiles()))) {
                corrupt.add(r.version() + " (" + r.programFiles() + ")");
            }
            try {
                ReleaseChecksums.requireMigrationsIntact(r);
            } catch (UpliftException e) {
                migrations.add(r.version() + " (" + (r.migrations() == null ? r.folder() : r.migrations()) + ")");
            }
        }
        if (!corrupt.isEmpty()) {
            return CheckResult.fail(ID, TITLE, "the program files of " + String.join(", ", corrupt)
                    + " do not match the checksum in the catalog", "get an intact copy of the release from the vendor; do not upgrade with this one");
        }
        if (!migrations.isEmpty()) {
            return CheckResult.fail(ID, TITLE, "the migrations or post-upgrade task SQL of " + String.join(", ", migrations)
                    + " do not match migrations-sha256 in the catalog", "get an intact copy of the release from the vendor; do not upgrade with this one");
        }
        return CheckResult.pass(ID, TITLE, c.releasesOnPath().size() + " release packages match their checksums");
    }
}
