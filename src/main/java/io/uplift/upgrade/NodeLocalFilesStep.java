package io.uplift.upgrade;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.install.Installation;
import io.uplift.install.NodeLocalFiles;
import java.util.List;

/**
 * The node-local files stay where they are: config/ is never replaced, and nothing of the new
 * release is ever copied over them. This step proves they are all there; RECORD_VERSION records
 * their hashes afterwards, so the next upgrade can tell whether anyone touched them.
 */
final class NodeLocalFilesStep implements UpgradeStep {
    @Override
    public void apply(StepContext c) {
        verify(c);
    }

    @Override
    public void verify(StepContext c) {
        Installation inst = c.installation();
        List<String> missing = NodeLocalFiles.compare(c.home(), c.catalog().product().nodeLocalFiles(), inst.state().nodeLocalFiles())
                .stream().filter(f -> f.state() == NodeLocalFiles.State.MISSING).map(NodeLocalFiles.FileState::path).toList();
        if (!missing.isEmpty()) {
            throw new UpliftException(ErrorCode.UPGRADE_FAILED, "Node-local files are missing in " + c.home() + ": "
                    + String.join(", ", missing) + ". Restore them from this node's backup (never from another node), then run 'uplift resume'.");
        }
    }

    @Override
    public void undo(StepContext c) {
        // Nothing was changed.
    }
}
