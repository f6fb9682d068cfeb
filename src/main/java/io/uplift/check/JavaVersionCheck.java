package io.uplift.check;

import io.uplift.api.CheckResult;
import io.uplift.catalog.Release;
import io.uplift.catalog.Version;

final class JavaVersionCheck implements PreflightCheck {
    private static final String ID = "java-version";
    private static final String TITLE = "Java runtime version";

    @Override
    public CheckResult run(CheckContext c) {
        Version java = Version.parse(Integer.toString(c.javaFeatureVersion()));
        for (Release release : c.releasesOnPath()) {
            if (!release.prerequisites().java().contains(java)) {
                return CheckResult.fail(ID, TITLE, "Java " + java + " found, " + release.version() + " needs Java "
                        + release.prerequisites().java(), "install a Java runtime in that range and run Uplift with it (set JAVA_HOME)");
            }
        }
        return CheckResult.pass(ID, TITLE, "Java " + java + " suits every release on the path");
    }
}
