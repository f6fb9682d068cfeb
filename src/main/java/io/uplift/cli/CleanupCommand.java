package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.CleanupItem;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"Removes the obsolete dependencies of the installed releases that Uplift made itself, such as the old",
                "PostgreSQL server a database move left stopped and intact, after confirmation. Lists the others."})
final class CleanupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Mixin
    YesOption yes;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Uplift uplift = home.configure().load();
        uplift.checkChange("uplift cleanup");
        if (uplift.obsoleteDependencies().isEmpty()) {
            out.println("No obsolete dependency to clean up.");
            return 0;
        }
        uplift.obsoleteDependencies().forEach(d -> out.printf("  %-20s %s%n", d.id(), d.description()));
        if (!yes.confirmed("Remove what Uplift can remove of these?", "uplift cleanup", out)) {
            out.println("Nothing was changed.");
            return 0;
        }
        for (CleanupItem item : uplift.cleanup()) {
            out.printf("  %-20s %s%n", item.id(), item.detail());
        }
        out.flush();
        return 0;
    }
}
