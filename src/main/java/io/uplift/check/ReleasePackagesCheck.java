package io.uplift.check;

import io.uplift.api.CheckResult;
import io.uplift.catalog.Release;
import io.uplift.install.TreeHash;
import java.util.ArrayList;
import java.util.List;

/**
 * The program files of every release on the path against the checksum the vendor put in the
 * catalog: a damaged or tampered package is refused before anything is touched.
 */
final class ReleasePackagesCheck implements PreflightCheck {
    static final String ID = "release-packages";
    private static final String TITLE = "Release packages";

    @Override
    public CheckResult run(CheckContext c) {
        List<String> corrupt = new ArrayList<>();
        List<String> unsigned = new ArrayList<>();
        for (Release r : c.releasesOnPath()) {
            if (r.programFilesSha256().isEmpty()) {
                unsigned.add(r.version().toString());
            } else if (!r.programFilesSha256().get().equals(TreeHash.of(r.programFiles()))) {
                corrupt.add(r.version() + " (" + r.programFiles() + ")");
            }
        }
        if (!corrupt.isEmpty()) {
            return CheckResult.fail(ID, TITLE, "the program files of " + String.join(", ", corrupt)
                    + " do not match the checksum in the catalog", "get an intact copy of the release from the vendor; do not upgrade with this one");
        }
        if (!unsigned.isEmpty()) {
            return CheckResult.warn(ID, TITLE, "releases " + String.join(", ", unsigned) + " declare no program-files-sha256",
                    "ask the vendor for a catalog with checksums; Uplift cannot tell a damaged package from a good one");
        }
        return CheckResult.pass(ID, TITLE, c.releasesOnPath().size() + " release packages match their checksums");
    }
}
