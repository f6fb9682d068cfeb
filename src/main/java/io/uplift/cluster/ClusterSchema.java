package io.uplift.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables through which the agents of a cluster coordinate, in the product database (no other
 * infrastructure): the leader lease, the append-only cluster state, the operator's requests, the
 * leader's orders to each node and the nodes' reports, and the agents' own heartbeats.
 *
 * <p>Created by the first agent or command that needs them, inside one transaction that holds a
 * transaction-scoped advisory lock: two agents starting at once cannot both run the DDL, and the lock
 * is released by the commit or rollback itself, so no release can be forgotten or fail silently.
 * The state table refuses UPDATE and DELETE with a trigger: its history is the audit trail of who
 * moved the cluster where and why.
 */
public final class ClusterSchema {
    /**
     * The schema of the cluster's tables. Not public: backups leave it out and a restore leaves it
     * alone (backup.DatabaseDump, DatabaseRestore), because the coordination must outlive a rollback
     * that restores the primary's backup. Restored to the backup's instant, it would show the upgrade
     * back in PREPARED with the primary's order unreported, and the primary's agent would start the
     * upgrade again right after the operator rolled it back.
     */
    public static final String SCHEMA = "uplift_cluster";
    static final String LEASE = SCHEMA + ".uplift_cluster_lease";
    static final String STATE = SCHEMA + ".uplift_cluster_state";
    static final String REQUESTS = SCHEMA + ".uplift_cluster_requests";
    static final String ORDERS = SCHEMA + ".uplift_cluster_orders";
    static final String REPORTS = SCHEMA + ".uplift_cluster_reports";
    static final String AGENTS = SCHEMA + ".uplift_agents";
    /** The NOTIFY channel: a wake-up only, every reader polls the tables as well. */
    static final String CHANNEL = "uplift_cluster";
    /** Key of the advisory lock around the DDL ("uplift-c" as a number; any constant would do). */
    private static final long DDL_LOCK = 0x75706c6966742d63L;

    private ClusterSchema() {}

    static void ensure(Connection conn) throws SQLException {
        if (exists(conn)) {
            return;
        }
        Transactions.readWrite(conn, () -> {
            try (Statement st = conn.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + DDL_LOCK + ")");
                st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
                st.execute("CREATE TABLE IF NOT EXISTS " + LEASE + " (name text PRIMARY KEY, holder text NOT NULL,"
                        + " fence bigint NOT NULL, lease_until timestamptz NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS " + STATE + " (seq bigserial PRIMARY KEY, upgrade_id bigint NOT NULL,"
                        + " state text NOT NULL, from_version text NOT NULL, to_version text NOT NULL, mode text NOT NULL,"
                        + " primary_node text NOT NULL, nodes text NOT NULL, fence bigint NOT NULL, moved_by text NOT NULL,"
                        + " reason text NOT NULL, at timestamptz NOT NULL DEFAULT now())");
                st.execute("CREATE OR REPLACE FUNCTION " + SCHEMA + ".uplift_cluster_state_append_only() RETURNS trigger LANGUAGE plpgsql AS"
                        + " $$BEGIN RAISE EXCEPTION 'uplift_cluster_state is append-only: its rows are the history of the cluster';"
                        + " END$$");
                st.execute("DROP TRIGGER IF EXISTS uplift_cluster_state_append_only ON " + STATE);
                st.execute("CREATE TRIGGER uplift_cluster_state_append_only BEFORE UPDATE OR DELETE ON " + STATE
                        + " FOR EACH ROW EXECUTE PROCEDURE " + SCHEMA + ".uplift_cluster_state_append_only()");
                st.execute("CREATE TABLE IF NOT EXISTS " + REQUESTS + " (id bigserial PRIMARY KEY, kind text NOT NULL,"
                        + " to_version text, primary_node text, requested_by text NOT NULL, at timestamptz NOT NULL DEFAULT now())");
                st.execute("CREATE TABLE IF NOT EXISTS " + ORDERS + " (upgrade_id bigint NOT NULL, node_id text NOT NULL,"
                        + " action text NOT NULL, fence bigint NOT NULL, at timestamptz NOT NULL DEFAULT now(),"
                        + " PRIMARY KEY (upgrade_id, node_id, action))");
                st.execute("CREATE TABLE IF NOT EXISTS " + REPORTS + " (upgrade_id bigint NOT NULL, node_id text NOT NULL,"
                        + " action text NOT NULL, outcome text NOT NULL, detail text NOT NULL, at timestamptz NOT NULL DEFAULT now(),"
                        + " PRIMARY KEY (upgrade_id, node_id, action))");
                st.execute("CREATE TABLE IF NOT EXISTS " + AGENTS + " (node_id text PRIMARY KEY, agent text NOT NULL, host text NOT NULL,"
                        + " home text NOT NULL, activity text NOT NULL, started_at timestamptz NOT NULL, last_seen timestamptz NOT NULL)");
            }
        });
    }

    static boolean exists(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
             var rs = st.executeQuery("SELECT to_regclass('" + AGENTS + "') IS NOT NULL AND to_regclass('" + STATE + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
