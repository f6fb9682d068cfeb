package io.uplift.api;

import java.util.List;

/** What 'uplift status' reports. Shape of its --json output: see README, "status --json". */
public record StatusResult(
        String home,
        String product,
        String installedVersion,
        String schemaVersion,
        Database database,
        List<NodeLocalFile> nodeLocalFiles,
        List<Task> pendingTasks,
        Upgrade upgrade,
        Keys keys) {

    /**
     * @param managed whether Uplift runs this server itself (then {@code serverState} is
     *                running, stopped, or started, when this very command started it)
     */
    public record Database(String url, boolean reachable, String serverVersion, String error, boolean managed, String serverState) {}

    public record NodeLocalFile(String path, String state) {}

    public record Task(String release, String id, String title, String mode) {}

    /** {@code state} is none, running (lock held) or interrupted (journal left behind). */
    public record Upgrade(String state, String detail) {}

    /**
     * Key rotation (issue 5): {@code rotation} is "none" or "unfinished: ..."; {@code retiring} the
     * old keys that still decrypt until the end of their grace.
     */
    public record Keys(String rotation, List<KeyRotationResult.RetiringKey> retiring) {
        public Keys {
            retiring = List.copyOf(retiring);
        }
    }

    public StatusResult {
        nodeLocalFiles = List.copyOf(nodeLocalFiles);
        pendingTasks = List.copyOf(pendingTasks);
    }
}
