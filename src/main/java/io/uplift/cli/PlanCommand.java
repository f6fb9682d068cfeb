package io.uplift.cli;

import io.uplift.api.ClusterMode;
import io.uplift.api.PlanResult;
import io.uplift.api.PlanResult.Hop;
import io.uplift.api.Step;
import io.uplift.api.UpgradeTarget;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Shows the hops from the installed version to --to through the required stops, and the steps",
                "of each hop, including a database move when a release needs a newer PostgreSQL. Changes nothing."})
final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    HomeOption home;

    @Option(names = "--to", required = true, paramLabel = "VERSION", description = "The release to upgrade to, e.g. 3.0.")
    String to;

    @Option(names = "--json", description = "Print the plan as JSON (shape: docs/json.md, 'plan --json').")
    boolean json;

    @Override
    public Integer call() {
        PlanResult plan = home.configure().load().plan(new UpgradeTarget(to));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            JsonOutput.print(out, view(plan));
            return 0;
        }
        if (plan.isEmpty()) {
            out.printf("%s %s is installed: nothing to do.%n", plan.product(), plan.installed());
            out.flush();
            return 0;
        }
        out.printf("Plan: %s %s -> %s in %d hop%s%n", plan.product(), plan.installed(), plan.target(), plan.hops().size(),
                plan.hops().size() == 1 ? "" : "s");
        out.printf("In a cluster: %s%n", plan.clusterMode() == ClusterMode.ROLLING
                ? "rolling (one node at a time while the others serve; the contract migrations run at finalize)"
                : "primary-first (the other nodes stop while the primary upgrades, then each node in turn)");
        int n = 1;
        for (Hop hop : plan.hops()) {
            out.printf("%n%d. %s -> %s%s%n", n++, hop.from(), hop.to(), hop.databaseMove()
                    .map(m -> "   (database move: PostgreSQL " + m.fromMajor() + " -> " + m.toMajor() + ")").orElse(""));
            for (Step step : hop.steps()) {
                out.printf("   - %s%s%n", step.title(), step.detail().isEmpty() ? "" : " [" + step.detail() + "]");
            }
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> view(PlanResult plan) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("product", plan.product());
        root.put("installed", plan.installed());
        root.put("target", plan.target());
        List<Map<String, Object>> hops = plan.hops().stream().map(hop -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("from", hop.from());
            h.put("to", hop.to());
            h.put("databaseMove", hop.databaseMove().map(m -> Map.of("fromMajor", m.fromMajor(), "toMajor", m.toMajor())).orElse(null));
            h.put("steps", hop.steps().stream().map(s -> {
                Map<String, Object> st = new LinkedHashMap<>();
                st.put("id", s.id());
                st.put("kind", s.kind().name());
                st.put("title", s.title());
                st.put("detail", s.detail());
                return st;
            }).toList());
            return h;
        }).toList();
        root.put("hops", hops);
        root.put("clusterMode", plan.clusterMode().name());
        return root;
    }
}
