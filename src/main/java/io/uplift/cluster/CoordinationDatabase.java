package io.uplift.cluster;

import io.uplift.install.Installation;
import io.uplift.install.WritableDatabase;
import java.sql.Connection;

/**
 * The database holding the cluster's rows (schema uplift_cluster, uplift_nodes) as seen from one
 * node: the node's own database, or the primary named by primary.url when the node's database is a
 * read-only mirror (see {@link WritableDatabase} for why the choice follows pg_is_in_recovery()).
 * Every agent, request and registry read or write goes through here, so all nodes meet in one place.
 */
final class CoordinationDatabase {
    private CoordinationDatabase() {}

    static Connection connect(Installation installation) {
        return WritableDatabase.connect(installation.databaseSettings());
    }
}
