package io.uplift.journal;

/**
 * Where a whole upgrade stands.
 *
 * <pre>
 * RUNNING -> DONE                      (journal archived, upgrade finished)
 * RUNNING -> PAUSED                    (Ctrl-C / SIGTERM between steps: 'uplift resume' goes on)
 * RUNNING -> FAILED                    (a step failed: fix the cause, then resume or rollback)
 * RUNNING (process killed)             (the file still says RUNNING: resume or rollback)
 * any -> ROLLING_BACK -> ROLLED_BACK   (journal archived, installation as before the upgrade)
 * </pre>
 */
public enum RunState { RUNNING, PAUSED, FAILED, DONE, ROLLING_BACK, ROLLED_BACK }
