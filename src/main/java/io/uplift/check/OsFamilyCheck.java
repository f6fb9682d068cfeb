package io.uplift.check;

import io.uplift.api.CheckResult;
import io.uplift.catalog.Release;
import java.util.Locale;

final class OsFamilyCheck implements PreflightCheck {
    private static final String ID = "os-family";
    private static final String TITLE = "Operating system";

    static String family(String osName) {
        String n = osName.toLowerCase(Locale.ROOT);
        // "darwin" contains "win": look for the Mac names first.
        return n.contains("mac") || n.contains("darwin") ? "mac" : n.contains("win") ? "windows" : "linux";
    }

    @Override
    public CheckResult run(CheckContext c) {
        String family = family(c.osName());
        for (Release release : c.releasesOnPath()) {
            if (release.prerequisites().osFamily().filter(f -> !f.equals(family)).isPresent()) {
                return CheckResult.fail(ID, TITLE, c.osName() + " found, " + release.version() + " runs on "
                        + release.prerequisites().osFamily().get() + " only", "upgrade on a node of that operating system");
            }
        }
        return CheckResult.pass(ID, TITLE, c.osName() + " (" + family + ")");
    }
}
