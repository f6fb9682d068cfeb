package io.uplift.upgrade;

/**
 * A cluster node's RECORD_VERSION: the new version in .uplift/state.json only. The database's record
 * (uplift_installation) belongs to the primary's upgrade; a node must neither write it again nor, on
 * undo, set it back under the nodes that already run the new version.
 */
final class RecordNodeVersionStep implements UpgradeStep {
    @Override
    public void apply(StepContext c) {
        RecordVersionStep.record(c, c.hop().to().toString());
    }

    @Override
    public void undo(StepContext c) {
        RecordVersionStep.record(c, c.hop().from().toString());
    }
}
