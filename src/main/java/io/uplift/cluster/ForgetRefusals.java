package io.uplift.cluster;

import io.uplift.api.ErrorCode;
import io.uplift.api.NodeInfo;
import io.uplift.api.UpliftException;
import java.util.List;

/** The errors of 'uplift nodes forget': each names the node, says what was seen and what to do, and that nothing changed. */
final class ForgetRefusals {
    private ForgetRefusals() {}

    static UpliftException unknown(String id, List<NodeInfo> registered, String upliftHome) {
        String known = registered.isEmpty() ? "no node is registered at all"
                : "the registered nodes are " + String.join(", ", registered.stream().map(NodeInfo::nodeId).toList());
        return new UpliftException(ErrorCode.USAGE, "No node '" + id + "' is registered in the database of " + upliftHome + ": " + known
                + ". Pass one of those ids ('uplift nodes --home " + upliftHome + "' lists them). Nothing was changed.");
    }

    static UpliftException alive(NodeInfo node) {
        return new UpliftException(ErrorCode.NODE_ALIVE, "Node " + describe(node) + " sent its last heartbeat "
                + NodeLiveness.age(node.heartbeatAgeSeconds()) + " ago, less than " + NodeLiveness.age(NodeLiveness.SILENT_AFTER.toSeconds())
                + " ago: it is running, and its next heartbeat would register it again. " + stopFirst(node));
    }

    /** The row was silent when read, but a heartbeat came between the read and the delete. */
    static UpliftException cameBack(NodeInfo node) {
        return new UpliftException(ErrorCode.NODE_ALIVE, "Node " + describe(node) + " sent a heartbeat while it was being forgotten:"
                + " it is running again. " + stopFirst(node));
    }

    private static String stopFirst(NodeInfo node) {
        return "Stop the product on " + node.host() + " (home " + node.home() + ") if the node is to go, wait until 'uplift nodes' shows it"
                + " silent (" + NodeLiveness.age(NodeLiveness.SILENT_AFTER.toSeconds()) + " without a heartbeat), then run"
                + " 'uplift nodes forget " + node.nodeId() + "' again. Nothing was changed.";
    }

    static String describe(NodeInfo node) {
        return node.nodeId() + " (" + node.role() + " on " + node.host() + ", version " + node.programVersion() + ", home " + node.home() + ")";
    }
}
