package io.uplift.check;

import io.uplift.api.CheckResult;
import io.uplift.api.UpliftException;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.keys.KeysetConsistency;
import io.uplift.keys.KeysetRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * This node's keyset opens (right master key, intact file) and is the one the database recorded:
 * a node with another installation's keyset would write secrets no other node can read, and could
 * read none. Only this node is compared here; ClusterNodesCheck compares the nodes of the registry.
 */
final class KeysetMatchesDatabaseCheck implements PreflightCheck {
    private static final String ID = "keyset-matches-database";
    private static final String TITLE = "Keyset matches the database";

    @Override
    public CheckResult run(CheckContext c) {
        Optional<KeysetRecord> recorded;
        if (!c.database().reachable()) {
            return CheckResult.warn(ID, TITLE, "not compared: the database does not answer",
                    "make the database reachable (see the database check), then run the check again");
        }
        DatabaseSettings db = c.installation().databaseSettings();
        try (Connection conn = Jdbc.connect(db.url(), db.user(), db.password())) {
            recorded = KeysetRecord.read(conn);
        } catch (SQLException | UpliftException e) {
            return CheckResult.warn(ID, TITLE, "not compared: the database refused the query: " + e.getMessage(),
                    "make the database reachable, then run the check again");
        }
        KeysetConsistency.Outcome o;
        try {
            o = KeysetConsistency.compare(c.installation().home(), recorded, false);
        } catch (UpliftException e) {
            return CheckResult.fail(ID, TITLE, e.getMessage(), "fix the keyset as said above; nothing was changed");
        }
        return switch (o.verdict()) {
            case MATCH, ROTATION_IN_PROGRESS -> CheckResult.pass(ID, TITLE, o.message());
            case NOT_RECORDED -> CheckResult.warn(ID, TITLE, o.message(),
                    "make sure this node's keyset is the one that encrypted the data; 'uplift keys protect' records its fingerprint");
            case MISMATCH -> CheckResult.fail(ID, TITLE, o.message(), "copy the keyset and its master key from the node named above,"
                    + " or restore config/ and the database together from one backup; never mix keysets of two installations");
        };
    }
}
