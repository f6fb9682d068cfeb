package io.uplift.api;

import java.util.List;

/** What 'uplift status' reports. Shape of its --json output: see docs/json.md, "status --json". */
public record StatusResult(
        String home,
        String product,
        String installedVersion,
        String schemaVersion,
        Database database,
        List<NodeLocalFile> nodeLocalFiles,
        List<Task> pendingTasks,
        Upgrade upgrade,
        Tokens tokens,
        Keys keys,
        List<NodeInfo> nodes) {

    /** Without the registered nodes (null: not read); {@link #withNodes} adds them. */
    public StatusResult(String home, String product, String installedVersion, String schemaVersion, Database database,
            List<NodeLocalFile> nodeLocalFiles, List<Task> pendingTasks, Upgrade upgrade, Tokens tokens, Keys keys) {
        this(home, product, installedVersion, schemaVersion, database, nodeLocalFiles, pendingTasks, upgrade, tokens, keys, null);
    }

    /** The same status with the nodes registered in the database (null when they could not be read). */
    public StatusResult withNodes(List<NodeInfo> registered) {
        return new StatusResult(home, product, installedVersion, schemaVersion, database, nodeLocalFiles, pendingTasks, upgrade, tokens, keys,
                registered);
    }

    /**
     * @param managed whether Uplift runs this server itself (then {@code serverState} is
     *                running, stopped, or started, when this very command started it)
     */
    public record Database(String url, boolean reachable, String serverVersion, String error, boolean managed, String serverState) {}

    public record NodeLocalFile(String path, String state) {}

    public record Task(String release, String id, String title, String mode) {}

    /**
     * {@code state} is none, running (lock held) or interrupted (journal left behind); {@code progress}
     * is the last report of the step that was running, or null.
     */
    public record Upgrade(String state, String detail, Progress progress) {
        public Upgrade(String state, String detail) {
            this(state, detail, null);
        }
    }

    /**
     * How far a long step has come, as it last reported: {@code done} of {@code total} in {@code unit}
     * (bytes or rows), {@code perSecond} since the step began reporting, {@code etaSeconds} (null when
     * unknown), its last message ({@code phase}) and a few before it, and when this was written.
     */
    public record Progress(String step, String title, String unit, long done, long total, long perSecond, Long etaSeconds,
            String phase, List<String> recent, String updatedAt) {}

    /**
     * The app tokens in a format the installed release deprecates; null when the product declares no
     * tokens. {@code deprecated} is -1 when they could not be counted ({@code error} says why).
     */
    public record Tokens(long deprecated, List<String> deprecatedFormats, String currentFormat, String command, String error) {
        public Tokens {
            deprecatedFormats = List.copyOf(deprecatedFormats);
        }
    }

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
        nodes = nodes == null ? null : List.copyOf(nodes);
    }
}
