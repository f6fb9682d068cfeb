package io.uplift.check;

import io.uplift.api.CheckResult;
import io.uplift.catalog.Release;
import io.uplift.catalog.Version;
import io.uplift.plan.Hop;

/**
 * The database server against every release on the path. An older server is a warning when the
 * plan moves the database (the move is the remedy, already planned) and a failure otherwise.
 */
final class DatabaseVersionCheck implements PreflightCheck {
    private static final String ID = "database-version";
    private static final String TITLE = "Database server version";

    @Override
    public CheckResult run(CheckContext c) {
        if (c.database().major().isEmpty()) {
            return CheckResult.fail(ID, TITLE, "the server version is unknown: the database did not answer",
                    "make the database reachable, then run the check again");
        }
        int found = c.database().major().getAsInt();
        int major = found;
        String planned = null;
        for (Hop hop : c.plan().hops()) {
            Release release = c.catalog().release(hop.to()).orElseThrow();
            if (hop.databaseMove().isPresent()) {
                planned = "PostgreSQL " + found + " found, " + hop.to() + " needs " + release.prerequisites().postgresql()
                        + ": the plan moves the database to PostgreSQL " + hop.databaseMove().get().toMajor()
                        + " in the hop " + hop.from() + " -> " + hop.to();
                major = hop.databaseMove().get().toMajor();
            }
            if (!release.prerequisites().postgresql().contains(Version.parse(Integer.toString(major)))) {
                return CheckResult.fail(ID, TITLE, "PostgreSQL " + major + " found, " + hop.to() + " needs "
                        + release.prerequisites().postgresql() + " and the catalog plans no database move",
                        "upgrade the database server to a version in that range before upgrading, or ask the vendor for a catalog that moves it");
            }
        }
        if (planned != null) {
            return CheckResult.warn(ID, TITLE, planned, "nothing to do: the move is part of the plan; make sure the downtime fits your window");
        }
        return CheckResult.pass(ID, TITLE, "PostgreSQL " + c.database().serverVersion() + " suits every release on the path");
    }
}
