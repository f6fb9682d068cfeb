package io.uplift.cluster;

import io.uplift.api.ClusterStateChange;
import io.uplift.api.NodeInfo;
import io.uplift.cluster.KeyHandoverTable.Handover;
import io.uplift.cluster.NodeOrders.Action;
import io.uplift.cluster.NodeOrders.Order;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The leader's part of a key rotation in a primary-first cluster upgrade, called by the
 * {@link ClusterCoordinator} while MIXED. The primary's upgrade rotated its keyset and published the
 * new key wrapped ({@link KeyHandoverTable}); from there, one move per step, all decided from the rows:
 *
 * <pre>
 * ADD_KEY on every other node (stopped since PREPARED: no node serves with a keyset the database
 *         does not record); each adds the key as primary and decrypts every value with it
 * -> the coordinator's UPGRADE_NODE orders, one node at a time (each starts with the new keyset)
 * -> every registered node reports the new keyset: RETIRE_KEY on every node, all ordered at once
 * -> all retired: the wrapped key is erased; the coordinator goes on to READY_TO_FINALIZE
 * </pre>
 *
 * No old key is disabled anywhere before every node proved it decrypts every value with the new one.
 */
final class ClusterKeyHandover {
    /** What the coordinator does next: its own move when {@code proceed}, else this move or this wait. */
    record KeyMove(boolean proceed, Optional<String> moved, String waiting) {
        static final KeyMove PROCEED = new KeyMove(true, Optional.empty(), "");
    }

    private final NodeRegistry registry;

    ClusterKeyHandover(NodeRegistry registry) {
        this.registry = registry;
    }

    /** @param allUpgraded every node but the primary reported UPGRADE_NODE done */
    KeyMove nextMove(Connection conn, Leadership me, ClusterStateChange now, List<Order> orders, boolean allUpgraded) throws SQLException {
        Optional<Handover> found = KeyHandoverTable.of(conn, now.upgradeId());
        if (found.isEmpty()) {
            return KeyMove.PROCEED; // the primary's plan rotated no key
        }
        Handover h = found.get();
        long key = h.parcel().keyId();
        List<String> others = now.nodes().subList(1, now.nodes().size());
        if (!allUpgraded) {
            for (String node : others) {
                if (NodeOrders.find(orders, node, Action.ADD_KEY).isEmpty()) {
                    return order(conn, me, now, node, Action.ADD_KEY);
                }
            }
            List<String> adding = others.stream().filter(n -> !done(orders, n, Action.ADD_KEY)).toList();
            return adding.isEmpty() ? KeyMove.PROCEED
                    : new KeyMove(false, Optional.empty(), "key handover waits: node(s) " + String.join(", ", adding) + " adding key " + key);
        }
        if (!h.erased()) {
            Optional<String> behind = notYetHolding(conn, h);
            if (behind.isPresent()) {
                return new KeyMove(false, Optional.empty(), "old keys stay until " + behind.get());
            }
            List<String> retiring = new ArrayList<>(others);
            retiring.add(now.primaryNode());
            // All ordered at once, not one after the other: each retirement changes that node's keyset
            // fingerprint, and the nodes' gates tolerate a difference with the database's record for
            // one heartbeat only, so the retirements must happen together (a file write each).
            for (String node : retiring) {
                if (NodeOrders.find(orders, node, Action.RETIRE_KEY).isEmpty()) {
                    return order(conn, me, now, node, Action.RETIRE_KEY);
                }
            }
            List<String> pending = retiring.stream().filter(n -> !done(orders, n, Action.RETIRE_KEY)).toList();
            if (!pending.isEmpty()) {
                return new KeyMove(false, Optional.empty(), "key handover waits: node(s) " + String.join(", ", pending) + " retiring keys "
                        + h.parcel().retiringKeyIds());
            }
            return KeyHandoverTable.erase(conn, me, now.upgradeId())
                    ? new KeyMove(false, Optional.of("every node holds key " + key + " and retired keys " + h.parcel().retiringKeyIds()
                            + "; the wrapped copy of key " + key + " was erased"), "")
                    : new KeyMove(false, Optional.empty(), "");
        }
        return KeyMove.PROCEED;
    }

    /** Empty when every registered node reports the new keyset (with or without the old keys); else who does not. */
    private Optional<String> notYetHolding(Connection conn, Handover h) throws SQLException {
        for (NodeInfo n : registry.read(conn).nodes()) {
            String fp = n.keysetFingerprint();
            if (fp != null && !fp.equals(h.parcel().fingerprintAfter()) && !fp.equals(h.parcel().fingerprintRetired())) {
                return Optional.of("node " + n.nodeId() + " (" + n.home() + ") holds key " + h.parcel().keyId() + ": it reports keyset "
                        + short12(fp) + ", not " + short12(h.parcel().fingerprintAfter()) + " (start it so that its gate reports it, or"
                        + " 'uplift nodes forget " + n.nodeId() + "' if it is gone)");
            }
        }
        return Optional.empty();
    }

    private static KeyMove order(Connection conn, Leadership me, ClusterStateChange now, String node, Action action) throws SQLException {
        return NodeOrders.order(conn, me, now.upgradeId(), node, action)
                ? new KeyMove(false, Optional.of("ordered " + action + " on " + node), "")
                : new KeyMove(false, Optional.empty(), "");
    }

    private static boolean done(List<Order> orders, String node, Action action) {
        return NodeOrders.find(orders, node, action).map(o -> NodeOrders.DONE.equals(o.outcome())).orElse(false);
    }

    private static String short12(String fingerprint) {
        return fingerprint.length() <= 12 ? fingerprint : fingerprint.substring(0, 12);
    }
}
