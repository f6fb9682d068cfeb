package io.uplift.upgrade;

import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.api.PendingTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Adds the post-upgrade tasks of the releases this hop installed to the installation's pending list. */
final class RegisterTasksStep implements UpgradeStep {
    @Override
    public void apply(StepContext c) {
        List<PendingTask> tasks = new ArrayList<>(c.installation().state().pendingTasks());
        for (PendingTask t : tasksOfHop(c)) {
            if (!tasks.contains(t)) {
                tasks.add(t);
            }
        }
        write(c, tasks);
    }

    @Override
    public void undo(StepContext c) {
        List<PendingTask> tasks = new ArrayList<>(c.installation().state().pendingTasks());
        tasks.removeAll(tasksOfHop(c));
        write(c, tasks);
    }

    private static List<PendingTask> tasksOfHop(StepContext c) {
        return c.covered().stream().flatMap(r -> r.postUpgradeTasks().stream()
                .map(t -> new PendingTask(r.version().toString(), t.id(), t.title(), t.mode().name().toLowerCase(Locale.ROOT))))
                .toList();
    }

    private static void write(StepContext c, List<PendingTask> tasks) {
        InstallationState s = c.installation().state();
        Installation.record(c.home(), new InstallationState(s.product(), s.version(), s.catalog(), s.serviceAccount(),
                s.nodeLocalFiles(), s.managedDatabase(), tasks));
    }
}
