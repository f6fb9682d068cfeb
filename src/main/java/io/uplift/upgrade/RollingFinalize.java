package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.NodeInfo;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.ReleaseChecksums;
import io.uplift.catalog.Version;
import io.uplift.cluster.NodeRegistry;
import io.uplift.install.AdmittedVersions;
import io.uplift.install.Installation;
import io.uplift.install.InstalledVersionRecord;
import io.uplift.install.SchemaMigrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The end of a rolling upgrade: the destructive half of the change (the contract migrations) runs only
 * once no node of the previous release can run any more. In one transaction the previous release is
 * withdrawn from uplift_admitted_versions and the registry is read under a SHARE lock on uplift_nodes
 * (no gate can register or beat meanwhile); if a node still runs another version, the transaction
 * rolls back and nothing changed. Then the contract migrations run, all in one Flyway transaction; if
 * they fail, the previous release is admitted again, so the cluster is exactly as before the finalize
 * and asking for the upgrade again finalizes anew.
 */
final class RollingFinalize {
    private final Installation installation;
    private final Catalog catalog;

    RollingFinalize(Installation installation, Catalog catalog) {
        this.installation = installation;
        this.catalog = catalog;
    }

    String run(Version target) {
        String product = catalog.product().id();
        var db = installation.databaseSettings();
        List<String> withdrawn;
        try (Connection conn = UpgradeDatabase.connect(db)) {
            String recorded = InstalledVersionRecord.read(conn, product).orElse("");
            if (!recorded.equals(target.toString())) {
                throw new UpliftException(ErrorCode.UPGRADE_FAILED, "Finalize refused: the database belongs to " + recorded + ", not "
                        + target + "; nothing was changed.");
            }
            withdrawn = withdrawIfAllAt(conn, product, target.toString());
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Finalize could not reach " + db.url() + ": " + e.getMessage()
                    + "; nothing was changed, the agent tries again when asked.", e);
        }
        int ran;
        try {
            catalog.releases().headMap(target, true).values().forEach(ReleaseChecksums::requireMigrationsIntact);
            ran = SchemaMigrations.migrateTo(catalog, target, db);
        } catch (RuntimeException e) {
            readmit(product, withdrawn, target);
            throw e;
        }
        return (withdrawn.isEmpty() ? "no previous release was admitted" : String.join(", ", withdrawn) + " no longer admitted") + "; "
                + ran + (ran == 1 ? " contract migration" : " contract migrations") + " applied";
    }

    private List<String> withdrawIfAllAt(Connection conn, String product, String target) throws SQLException {
        conn.setAutoCommit(false);
        try {
            List<String> admitted = AdmittedVersions.read(conn, product);
            AdmittedVersions.withdrawAll(conn, product);
            try (Statement st = conn.createStatement()) {
                st.execute("SELECT 1 FROM pg_catalog.pg_class WHERE oid = to_regclass('" + NodeRegistry.TABLE + "')");
                if (st.getResultSet().next()) {
                    st.execute("LOCK TABLE " + NodeRegistry.TABLE + " IN SHARE MODE");
                }
            }
            for (NodeInfo n : new NodeRegistry(installation).read(conn).nodes()) {
                if (!target.equals(n.programVersion())) {
                    conn.rollback();
                    throw new UpliftException(ErrorCode.UPGRADE_FAILED, "Finalize refused before the contract migrations: node " + n.nodeId()
                            + " (" + n.home() + ") runs " + n.programVersion() + ", not " + target + ". Nothing was changed. Upgrade that node"
                            + " ('uplift upgrade --home " + n.home() + " --to " + target + "') or forget it ('uplift nodes forget " + n.nodeId()
                            + "'), then ask for the cluster upgrade to " + target + " again: it finalizes.");
                }
            }
            conn.commit();
            return admitted;
        } catch (SQLException | RuntimeException e) {
            conn.rollback();
            throw e;
        }
    }

    private void readmit(String product, List<String> withdrawn, Version target) {
        var db = installation.databaseSettings();
        try (Connection conn = UpgradeDatabase.connect(db)) {
            for (String v : withdrawn) {
                AdmittedVersions.admit(conn, product, v, "rolling upgrade to " + target + ": mixed until finalize (finalize failed)");
            }
        } catch (SQLException e) {
            throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "The contract migrations failed and re-admitting " + withdrawn
                    + " on " + db.url() + " failed too: " + e.getMessage() + ". Nodes of " + withdrawn + " are refused by their gate until"
                    + " the cluster upgrade to " + target + " is asked for again and finalizes.", e);
        }
    }
}
