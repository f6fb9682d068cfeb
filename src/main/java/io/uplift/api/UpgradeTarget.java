package io.uplift.api;

import java.util.regex.Pattern;

/**
 * The release that plan, check and upgrade go to (--to). It must be written as a version (numbers
 * separated by dots); whether the catalog has that release is for the planner to say.
 */
public record UpgradeTarget(String version) {
    /** How every release version is written; the catalog's version type parses the same syntax. */
    public static final Pattern VERSION_SYNTAX = Pattern.compile("\\d+(\\.\\d+)*");

    public UpgradeTarget {
        if (version == null || !VERSION_SYNTAX.matcher(version.trim()).matches()) {
            throw new UpliftException(ErrorCode.USAGE, "--to '" + version
                    + "' is not a version: use numbers separated by dots, such as 2.1 or 9.1.000001");
        }
    }

    @Override
    public String toString() {
        return version;
    }
}
