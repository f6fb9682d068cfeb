package io.uplift.upgrade;

/**
 * One idempotent unit of an upgrade. The engine journals STARTED before {@link #apply} and DONE
 * after {@link #verify}; a crash in between means apply runs again, so apply must finish whatever
 * an earlier, interrupted apply left half done. The same holds for {@link #undo}.
 */
interface UpgradeStep {
    void apply(StepContext context) throws Exception;

    /** Throws if the installation is not in the state apply promises. */
    default void verify(StepContext context) throws Exception {}

    void undo(StepContext context) throws Exception;
}
