package io.uplift.upgrade;

/**
 * The preflight checks run before the journal exists (a failure then leaves no trace at all); this
 * step records that they passed. Nothing to undo.
 */
final class ChecksStep implements UpgradeStep {
    @Override
    public void apply(StepContext context) {
        // The engine ran the checks under the lock just before writing the journal.
    }

    @Override
    public void undo(StepContext context) {
        // Checks change nothing.
    }
}
