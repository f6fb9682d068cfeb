package io.uplift.check;

import io.uplift.api.CheckResult;

final class DatabaseReachableCheck implements PreflightCheck {
    private static final String ID = "database-reachable";
    private static final String TITLE = "Database reachable";

    @Override
    public CheckResult run(CheckContext c) {
        String url = c.installation().databaseSettings().url();
        if (c.database().reachable()) {
            return CheckResult.pass(ID, TITLE, url + " answers (PostgreSQL " + c.database().serverVersion() + ")");
        }
        return CheckResult.fail(ID, TITLE, url + " does not answer: " + c.database().error(),
                "start the database server (for a server Uplift manages: 'uplift db start --home " + c.installation().home()
                        + "') or correct config/database.properties");
    }
}
