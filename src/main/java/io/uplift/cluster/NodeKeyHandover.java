package io.uplift.cluster;

import io.uplift.api.ClusterStateChange;
import io.uplift.api.ErrorCode;
import io.uplift.api.KeyEnvironment;
import io.uplift.api.NodeInfo;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.catalog.Release.EncryptedColumn;
import io.uplift.catalog.Version;
import io.uplift.db.Jdbc;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.keys.HandedOverKey;
import io.uplift.keys.InstallationKeyset;
import io.uplift.keys.KeyHandover;
import io.uplift.keys.KeysetFile;
import io.uplift.keys.KeysetStore;
import io.uplift.keys.RotatableColumns;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * This node's part of the cluster's key handover (see {@link ClusterKeyHandover} for the leader's):
 * on the primary, publishing its rotated key wrapped once its upgrade is done; on every node, the
 * ADD_KEY and RETIRE_KEY orders, on its own keyset file through {@link HandedOverKey}. Nothing here
 * writes a key anywhere but into this node's sealed keyset, nor logs one.
 */
final class NodeKeyHandover {
    private final Installation installation;
    private final Catalog catalog;

    NodeKeyHandover(Installation installation, Catalog catalog) {
        this.installation = installation;
        this.catalog = catalog;
    }

    /**
     * After the primary's upgrade: when its keyset is no longer the one the other nodes of the upgrade
     * registered, its rotation made a new key, which is published wrapped for them. Returns what it did
     * ("" when nothing was rotated). Idempotent: a resumed order finds the row and leaves it.
     */
    String publishIfRotated() {
        if (!Files.exists(KeysetFile.of(installation.home()))) {
            return "";
        }
        try (Connection conn = connect()) {
            ClusterStateChange now = current(conn);
            String me = NodeId.read(installation.home()).orElse(now.primaryNode());
            Map<String, List<String>> othersByKeyset = new TreeMap<>(new NodeRegistry(installation).read(conn).nodes().stream()
                    .filter(n -> now.nodes().contains(n.nodeId()) && !n.nodeId().equals(me) && n.keysetFingerprint() != null)
                    .collect(Collectors.groupingBy(NodeInfo::keysetFingerprint, Collectors.mapping(NodeInfo::nodeId, Collectors.toList()))));
            InstallationKeyset mine = KeysetStore.of(KeysetFile.of(installation.home())).open(KeyEnvironment.system()).keyset();
            othersByKeyset.remove(mine.fingerprint());
            if (othersByKeyset.isEmpty()) {
                return "";
            }
            if (othersByKeyset.size() > 1) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "The other nodes hold " + othersByKeyset.size() + " different keysets ("
                        + othersByKeyset + "), so no single wrapped key fits them all. Put the same config/keyset.json on every node, then"
                        + " run the cluster upgrade again; nothing was published.");
            }
            if (KeyHandoverTable.of(conn, now.upgradeId()).isPresent()) {
                return " The new key was published for the other nodes already.";
            }
            KeyHandover.Parcel parcel = KeyHandover.wrap(mine, now.upgradeId(), othersByKeyset.keySet().iterator().next());
            KeyHandoverTable.publish(conn, parcel, me);
            return " New key " + parcel.keyId() + " published for " + othersByKeyset.values().iterator().next().size()
                    + " other node(s), wrapped under key " + parcel.wrappingKeyId() + " (the old keys stay until every node holds it).";
        } catch (SQLException e) {
            throw unreachable("publish the new key for the other nodes", e);
        }
    }

    /** ADD_KEY: the published key into this node's keyset as primary, then every value decrypted with it. */
    String addKey(String toVersion) {
        return new HandedOverKey(installation.home(), columns(toVersion), this::connect).add(handover().parcel());
    }

    /** RETIRE_KEY: the old keys disabled in this node's keyset, once every node holds the new one. */
    String retireKeys(String toVersion) {
        return new HandedOverKey(installation.home(), columns(toVersion), this::connect).retire(handover().parcel());
    }

    private KeyHandoverTable.Handover handover() {
        try (Connection conn = connect()) {
            ClusterStateChange now = current(conn);
            Optional<KeyHandoverTable.Handover> h = KeyHandoverTable.of(conn, now.upgradeId());
            if (h.isEmpty() || h.get().erased()) {
                throw new UpliftException(ErrorCode.INSTALLATION_INVALID, "Cluster upgrade " + now.upgradeId() + " has "
                        + (h.isEmpty() ? "no published key" : "erased its published key already") + " in " + KeyHandoverTable.TABLE
                        + ", so this node has no key to " + (h.isEmpty() ? "add" : "add or retire") + ". See 'uplift cluster status'.");
            }
            return h.get();
        } catch (SQLException e) {
            throw unreachable("read the published key", e);
        }
    }

    /** The values to prove: the target release's encrypted columns (none declared: only the keyset changes). */
    private List<EncryptedColumn> columns(String toVersion) {
        Release release = catalog.release(Version.parse(toVersion)).orElseThrow(() -> new UpliftException(ErrorCode.CATALOG_INVALID,
                "The catalog " + catalog.folder() + " of this node has no release " + toVersion + ": give this node's agent the same catalog"
                        + " as the primary's."));
        return release.encryptedColumns().isEmpty() ? List.of() : RotatableColumns.of(release);
    }

    private static ClusterStateChange current(Connection conn) throws SQLException {
        return ClusterLog.latest(conn).filter(s -> !s.state().ended()).orElseThrow(() -> new UpliftException(ErrorCode.INSTALLATION_INVALID,
                "No cluster upgrade is under way (uplift_cluster_state), so there is no key to hand over."));
    }

    private Connection connect() {
        DatabaseSettings db = installation.databaseSettings();
        return Jdbc.connect(db.url(), db.user(), db.password());
    }

    private UpliftException unreachable(String what, SQLException e) {
        return new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Cannot " + what + ": " + e.getMessage() + ". The agent tries again"
                + " when the order is handed to it again; make the database reachable.", e);
    }
}
