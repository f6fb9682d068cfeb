package io.uplift.cli;

import io.uplift.Uplift;
import io.uplift.api.MaintenanceState;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "maintenance", mixinStandardHelpOptions = true,
        description = {"Shows whether maintenance mode is on; 'on' or 'off' turns it on or off by hand, after confirmation.",
                "In maintenance the product's users keep reading and every change is refused by the database itself; turning it",
                "on ends the product's open sessions (they reconnect read-only). Refused while another Uplift command runs or",
                "an upgrade is unfinished: that upgrade owns maintenance mode until 'uplift resume' or 'uplift rollback' ends it."})
final class MaintenanceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Mixin
    YesOption yes;

    @Parameters(arity = "0..1", paramLabel = "on|off", description = "Turn maintenance mode on or off; without it, show the state.")
    String action;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, shown to whoever asks (with 'on'; default: turned on by an operator).")
    String reason;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (action != null && !action.equals("on") && !action.equals("off")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "'" + action + "' is not on or off: run 'uplift maintenance on',"
                    + " 'uplift maintenance off', or 'uplift maintenance' to see the state.");
        }
        if (reason != null && !"on".equals(action)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reason goes with 'uplift maintenance on'.");
        }
        Uplift uplift = home.configure().load();
        if (action == null) {
            print(uplift.maintenance(), out);
            return 0;
        }
        boolean on = action.equals("on");
        String command = "uplift maintenance " + action;
        uplift.checkChange(command);
        String question = on ? "Turn maintenance mode on? The product's open sessions end, and every change is refused until"
                + " 'uplift maintenance off'." : "Turn maintenance mode off? The product can change its data again.";
        if (!yes.confirmed(question, command, out)) {
            out.println("Nothing was changed.");
            return 0;
        }
        MaintenanceState state = uplift.maintenance(on, reason);
        print(state, out);
        if (state.sessionsEnded() > 0) {
            out.printf("               %d %s of the product ended (they reconnect read-only)%n", state.sessionsEnded(),
                    state.sessionsEnded() == 1 ? "session" : "sessions");
        }
        out.flush();
        return 0;
    }

    private static void print(MaintenanceState state, PrintWriter out) {
        if (!state.on()) {
            out.println("Maintenance    off: the product reads and writes");
        } else {
            out.printf("Maintenance    on%s: %s%n", state.since() == null ? "" : " since " + state.since(), state.reason());
        }
        out.flush();
    }
}
