package io.uplift.upgrade;

import io.uplift.api.StatusResult;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeResult.Outcome;
import io.uplift.api.UpgradeResult.StepTime;
import io.uplift.api.UpliftException;
import io.uplift.install.Installation;
import java.nio.file.Path;
import java.util.List;

/** The result of an upgrade, resume or rollback, with the version and the tasks the installation has now. */
final class UpgradeResults {
    private final Path home;

    UpgradeResults(Path home) {
        this.home = home;
    }

    UpgradeResult of(Outcome outcome, String from, String to, List<StepTime> times, String message) {
        List<StatusResult.Task> tasks = List.of();
        try {
            tasks = Installation.open(home).state().pendingTasks().stream()
                    .map(t -> new StatusResult.Task(t.release(), t.id(), t.title(), t.mode())).toList();
        } catch (UpliftException e) {
            // The result is still worth returning without the task list.
        }
        String installed = Installation.open(home).state().version();
        return new UpgradeResult(outcome, from, to, installed, times, tasks, message);
    }
}
