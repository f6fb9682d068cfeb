package io.uplift.check;

import io.uplift.api.CheckResult;
import io.uplift.catalog.Release;
import io.uplift.catalog.Version;
import io.uplift.install.NodeLocalFiles;
import io.uplift.install.NodeLocalFiles.FileState;
import io.uplift.install.NodeLocalFiles.State;
import java.util.ArrayList;
import java.util.List;

/** The node-local files: all present, and as they were when Uplift last recorded them. */
final class NodeLocalFilesCheck implements PreflightCheck {
    private static final String ID = "node-local-files";
    private static final String TITLE = "Node-local files";

    static List<String> declared(CheckContext c) {
        List<String> files = new ArrayList<>(c.catalog().product().nodeLocalFiles());
        Version installed = c.plan().installed();
        for (Release r : c.catalog().releases().headMap(installed, true).values()) {
            r.nodeLocalFiles().stream().filter(f -> !files.contains(f)).forEach(files::add);
        }
        return files;
    }

    @Override
    public CheckResult run(CheckContext c) {
        List<FileState> states = NodeLocalFiles.compare(c.installation().home(), declared(c), c.installation().state().nodeLocalFiles());
        List<String> missing = states.stream().filter(s -> s.state() == State.MISSING).map(FileState::path).toList();
        List<String> changed = states.stream().filter(s -> s.state() == State.CHANGED).map(FileState::path).toList();
        if (!missing.isEmpty()) {
            return CheckResult.fail(ID, TITLE, "missing in " + c.installation().home() + ": " + String.join(", ", missing),
                    "restore " + (missing.size() == 1 ? "it" : "them") + " from this node's own backup; never copy node-local files from another node");
        }
        if (!changed.isEmpty()) {
            return CheckResult.warn(ID, TITLE, "changed since Uplift recorded them: " + String.join(", ", changed),
                    "if the change was yours, go ahead (the upgrade records the new state); if not, restore from this node's backup first");
        }
        return CheckResult.pass(ID, TITLE, states.size() + " present and unchanged");
    }
}
