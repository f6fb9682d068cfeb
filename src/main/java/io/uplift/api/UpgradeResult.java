package io.uplift.api;

import java.util.List;

/**
 * What upgrade, resume and rollback return. Expected outcomes are values here, each with its exit
 * code; failures are {@link UpliftException}s.
 */
public record UpgradeResult(Outcome outcome, String from, String to, String installed, List<StepTime> steps,
        List<StatusResult.Task> pendingTasks, String message) {

    public enum Outcome {
        /** Every step ran: the installation is at the target. */
        DONE(0),
        /** The installation is already at the target. */
        NOTHING_TO_DO(0),
        /** Stopped between two steps on Ctrl-C or SIGTERM; 'uplift resume' goes on. */
        PAUSED(20),
        /** Every completed step was undone: the installation is as before the upgrade. */
        ROLLED_BACK(0),
        /** resume or rollback found no upgrade in progress. */
        NOTHING_IN_PROGRESS(21);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** How long one step took in this run; {@code skipped} when an earlier run had done it. */
    public record StepTime(String id, String title, long millis, boolean skipped) {}

    public UpgradeResult {
        steps = List.copyOf(steps);
        pendingTasks = List.copyOf(pendingTasks);
    }

    public int exitCode() {
        return outcome.exitCode();
    }
}
