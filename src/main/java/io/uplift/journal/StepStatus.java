package io.uplift.journal;

/**
 * Where one step stands in the journal.
 *
 * <pre>
 * PENDING -> STARTED -> DONE          (apply; STARTED with no DONE after a crash means "apply again":
 *                \-> FAILED            every step's apply is idempotent)
 * STARTED | DONE | FAILED -> UNDOING -> UNDONE   (rollback, in reverse order)
 * </pre>
 */
public enum StepStatus { PENDING, STARTED, DONE, FAILED, UNDOING, UNDONE }
