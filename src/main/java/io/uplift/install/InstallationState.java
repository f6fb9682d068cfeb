package io.uplift.install;

import io.uplift.api.PendingTask;
import java.util.List;
import java.util.Map;

/**
 * What Uplift knows of an installation beyond its files: .uplift/state.json.
 *
 * @param nodeLocalFiles SHA-256 of each node-local file, recorded at install and after each upgrade,
 *                       so a check can tell whether someone changed or replaced one since
 * @param serviceAccount the OS account that owned the program files when they were installed
 */
public record InstallationState(
        String product,
        String version,
        String catalog,
        String serviceAccount,
        Map<String, String> nodeLocalFiles,
        ManagedDatabase managedDatabase,
        List<PendingTask> pendingTasks) {
    public static final String FILE = ".uplift/state.json";

    public InstallationState {
        nodeLocalFiles = Map.copyOf(nodeLocalFiles);
        pendingTasks = List.copyOf(pendingTasks);
    }
}
