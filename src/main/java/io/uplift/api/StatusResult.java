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
        Tokens tokens) {

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
     * The app tokens in a format the installed release deprecates; null when the product declares no
     * tokens. {@code deprecated} is -1 when they could not be counted ({@code error} says why).
     */
    public record Tokens(long deprecated, List<String> deprecatedFormats, String currentFormat, String command, String error) {
        public Tokens {
            deprecatedFormats = List.copyOf(deprecatedFormats);
        }
    }

    public StatusResult {
        nodeLocalFiles = List.copyOf(nodeLocalFiles);
        pendingTasks = List.copyOf(pendingTasks);
    }
}
