package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.ObsoleteDependency;
import io.uplift.api.PendingTask;
import io.uplift.api.TaskOutcome;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "tasks", mixinStandardHelpOptions = true,
        description = {"Lists the post-upgrade tasks still pending (automatic ones Uplift runs, manual ones you confirm),",
                "and the obsolete dependencies of the installed releases to clean up."},
        subcommands = {TasksCommand.Run.class, TasksCommand.Done.class})
final class TasksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Uplift uplift = home.configure().load();
        List<PendingTask> pending = uplift.pendingTasks();
        out.println(pending.isEmpty() ? "No post-upgrade task is pending." : "Pending post-upgrade tasks:");
        for (PendingTask t : pending) {
            out.printf("  %-20s %s (%s, from %s)%n", t.id(), t.title(), t.mode(), t.release());
        }
        List<ObsoleteDependency> obsolete = uplift.obsoleteDependencies();
        if (!obsolete.isEmpty()) {
            out.println("Obsolete dependencies to clean up once you are satisfied with the upgrade:");
            obsolete.forEach(d -> out.printf("  %-20s %s%n", d.id(), d.description()));
        }
        out.flush();
        return 0;
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Runs the pending automatic tasks (or the one named), each in one transaction.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Parameters(arity = "0..1", paramLabel = "ID", description = "Only this task.")
        String id;

        @Mixin
        YesOption yes;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Uplift uplift = home.configure().load();
            uplift.checkChange("uplift tasks run");
            if (!yes.confirmed("Run the pending automatic tasks?", "uplift tasks run", out)) {
                out.println("Nothing was changed.");
                return 0;
            }
            for (TaskOutcome o : uplift.runTasks(Optional.ofNullable(id))) {
                out.printf("  %-20s %s: %s%n", o.id(), o.title(), o.detail());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "done", mixinStandardHelpOptions = true, description = "Confirms that a manual task is done.")
    static final class Done implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HomeOption home;

        @Parameters(paramLabel = "ID", description = "The task's id, as 'uplift tasks' shows it.")
        String id;

        @Override
        public Integer call() {
            Uplift uplift = home.configure().load();
            uplift.checkChange("uplift tasks done " + id);
            TaskOutcome o = uplift.taskDone(id);
            spec.commandLine().getOut().printf("%s: %s%n", o.id(), o.detail());
            return 0;
        }
    }
}
