package io.uplift.cluster;

import io.uplift.api.NodeInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The rules 'uplift check' holds the registered nodes to, on the rows alone (no database), so that
 * they can be tested on lists: every node must hold the same keyset (a node with another one writes
 * secrets the others cannot read: the "encryption configs don't match" of the vendor documents),
 * run as the same service account (the data-classification document requires it on every server),
 * and be alive (an upgrade must not start while a node nobody accounts for may come back with old
 * program files).
 */
public final class ClusterConsistency {
    /** One broken rule: what was seen, naming the nodes, and what to do. */
    public record Problem(String observed, String remedy) {}

    /**
     * A cluster upgrade's key handover under way ({@link KeyHandoverTable#inProgress}): until it ends,
     * the nodes hold one of its three keysets (before, with the new key, with the old keys retired),
     * and that difference is the agents' work in progress, not a misconfiguration.
     */
    public record KeyTransition(long upgradeId, long keyId, String before, String after, String retired) {
        boolean covers(String fingerprint) {
            return fingerprint.equals(before) || fingerprint.equals(after) || fingerprint.equals(retired);
        }
    }

    private ClusterConsistency() {}

    /**
     * @param recordedFingerprint the keyset fingerprint the database recorded (uplift_keyset), null when none is
     * @param recordedBy          the node and home that recorded it, for the remedy; null when none is
     * @param upliftHome          the home the check runs on, for the forget command
     */
    public static List<Problem> problems(List<NodeInfo> nodes, String recordedFingerprint, String recordedBy, String upliftHome) {
        return problems(nodes, recordedFingerprint, recordedBy, upliftHome, Optional.empty());
    }

    /** The same, while {@code transition} runs: the keysets it explains are no problem, any other keyset still is. */
    public static List<Problem> problems(List<NodeInfo> nodes, String recordedFingerprint, String recordedBy, String upliftHome,
            Optional<KeyTransition> transition) {
        List<Problem> problems = new ArrayList<>();
        (transition.isPresent() ? keysetsDuring(nodes, transition.get()) : keysets(nodes, recordedFingerprint, recordedBy))
                .ifPresent(problems::add);
        serviceAccounts(nodes).ifPresent(problems::add);
        for (NodeInfo n : nodes) {
            if (NodeLiveness.silent(n.heartbeatAgeSeconds())) {
                problems.add(new Problem("node " + ForgetRefusals.describe(n) + " is silent: its last heartbeat was "
                        + NodeLiveness.age(n.heartbeatAgeSeconds()) + " ago",
                        "start it, or 'uplift nodes forget " + n.nodeId() + " --home " + upliftHome + "' if it is gone"));
            }
        }
        return problems;
    }

    /** Nodes that report no fingerprint (no keyset, or a legacy file without one) cannot be compared and are left out. */
    private static Optional<Problem> keysets(List<NodeInfo> nodes, String recorded, String recordedBy) {
        Map<String, List<NodeInfo>> byKeyset = group(nodes.stream().filter(n -> n.keysetFingerprint() != null).toList(),
                NodeInfo::keysetFingerprint);
        if (byKeyset.size() < 2) {
            return Optional.empty();
        }
        String observed = "the nodes hold " + byKeyset.size() + " different keysets: " + listing(byKeyset, recorded, true)
                + (recorded == null ? "; the database recorded no keyset fingerprint"
                        : byKeyset.containsKey(recorded) ? "" : "; none of them is the database's keyset " + short12(recorded));
        String remedy;
        if (recorded != null && byKeyset.containsKey(recorded)) {
            List<NodeInfo> right = byKeyset.get(recorded);
            remedy = "copy config/keyset.json with its master key from " + right.get(0).nodeId() + " (" + right.get(0).host() + ", "
                    + right.get(0).home() + ") to every node that holds another keyset, then restart those nodes";
        } else {
            remedy = "find the keyset that encrypted the data" + (recordedBy == null ? "" : " (recorded by " + recordedBy + ")")
                    + ", copy it with its master key to every node, then restart them; never mix keysets of two installations";
        }
        return Optional.of(new Problem(observed, remedy));
    }

    private static Optional<Problem> keysetsDuring(List<NodeInfo> nodes, KeyTransition t) {
        List<NodeInfo> strangers = nodes.stream().filter(n -> n.keysetFingerprint() != null && !t.covers(n.keysetFingerprint())).toList();
        if (strangers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Problem("cluster upgrade " + t.upgradeId() + " is handing key " + t.keyId() + " over (keysets "
                + short12(t.before()) + " before it, " + short12(t.after()) + " with it, " + short12(t.retired()) + " once the old keys"
                + " retired), but " + listing(group(strangers, NodeInfo::keysetFingerprint), null, true) + " holds none of them",
                "put back on those nodes the config/keyset.json they had when the cluster upgrade started (their agents then add the"
                        + " new key themselves), or 'uplift nodes forget' a node that is gone; see 'uplift cluster status'"));
    }

    private static Optional<Problem> serviceAccounts(List<NodeInfo> nodes) {
        Map<String, List<NodeInfo>> byAccount = group(nodes, NodeInfo::serviceAccount);
        if (byAccount.size() < 2) {
            return Optional.empty();
        }
        return Optional.of(new Problem("the nodes run as " + byAccount.size() + " different service accounts: "
                + listing(byAccount, null, false), "run the product's services as the same account on every node, then restart the nodes"
                + " that changed (the files they own in their homes must belong to that account too)"));
    }

    private static Map<String, List<NodeInfo>> group(List<NodeInfo> nodes, Function<NodeInfo, String> key) {
        Map<String, List<NodeInfo>> groups = new LinkedHashMap<>();
        for (NodeInfo n : nodes) {
            groups.computeIfAbsent(Objects.toString(key.apply(n)), k -> new ArrayList<>()).add(n);
        }
        return groups;
    }

    /** "3f1c0b9e27aa (the database's) on node-a (app-1), node-b (app-2); 9d02e4c1b7f5 on node-c (app-3)". */
    private static String listing(Map<String, List<NodeInfo>> groups, String marked, boolean fingerprints) {
        List<String> parts = new ArrayList<>();
        groups.forEach((value, members) -> parts.add((fingerprints ? short12(value) : value)
                + (value.equals(marked) ? " (the database's)" : "") + " on "
                + String.join(", ", members.stream().map(n -> n.nodeId() + " (" + n.host() + ")").toList())));
        return String.join("; ", parts);
    }

    /** The first 12 hex digits, as Uplift shows fingerprints everywhere. */
    private static String short12(String fingerprint) {
        return fingerprint.length() <= 12 ? fingerprint : fingerprint.substring(0, 12);
    }
}
