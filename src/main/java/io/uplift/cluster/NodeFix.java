package io.uplift.cluster;

import io.uplift.catalog.Version;

/**
 * What brings one registered node back in line, as 'uplift nodes' shows it: a node that is silent
 * must be started or forgotten; a node whose program is not the version the database belongs to
 * is refused by its node gate until its home is upgraded (or, when the node is ahead, until the
 * unfinished upgrade of the database is finished or undone).
 */
final class NodeFix {
    private NodeFix() {}

    /**
     * @param upliftHome      the home 'uplift nodes' ran on, for the forget command (any home of the cluster would do)
     * @param databaseVersion the version recorded in uplift_installation, null when none is
     * @return null when the node is alive and runs the database's version
     */
    static String of(String nodeId, String nodeHome, String programVersion, long heartbeatAgeSeconds, String databaseVersion,
            String upliftHome) {
        String version = versionFix(nodeHome, programVersion, databaseVersion);
        if (!NodeLiveness.silent(heartbeatAgeSeconds)) {
            return version;
        }
        String forget = "uplift nodes forget " + nodeId + " --home " + upliftHome;
        return version == null ? "start it, or: " + forget + " (if it is gone)"
                : version + ", then start it; or: " + forget + " (if it is gone)";
    }

    private static String versionFix(String nodeHome, String programVersion, String databaseVersion) {
        if (databaseVersion == null) {
            return null;
        }
        int order = compare(programVersion, databaseVersion);
        if (order == 0) {
            return null;
        }
        if (order > 0) {
            return "finish the upgrade of the database to " + programVersion + " on the node that holds its journal (uplift resume),"
                    + " or put back the program files of " + databaseVersion + " in " + nodeHome;
        }
        return "uplift upgrade --home " + nodeHome + " --to " + databaseVersion;
    }

    /** Orders two versions; one that does not parse is equal only to the same text, else behind. */
    private static int compare(String programVersion, String databaseVersion) {
        try {
            return Integer.signum(Version.parse(programVersion).compareTo(Version.parse(databaseVersion)));
        } catch (IllegalArgumentException e) {
            return programVersion.equals(databaseVersion) ? 0 : -1;
        }
    }
}
