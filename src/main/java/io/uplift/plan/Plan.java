package io.uplift.plan;

import io.uplift.api.Step;
import io.uplift.api.StepKind;
import java.util.ArrayList;

import io.uplift.api.PlanResult;
import io.uplift.catalog.Version;
import java.util.List;
import java.util.Optional;

/** The hops from the installed version to the target; no hops means there is nothing to do. */
public record Plan(Version installed, Version target, List<Hop> hops) {
    public boolean isEmpty() {
        return hops.isEmpty();
    }

    /** The plan as the facade returns it, for {@code product} (its display name). */
    public PlanResult result(String product) {
        return new PlanResult(product, installed.toString(), target.toString(), hops.stream()
                .map(h -> new PlanResult.Hop(h.from().toString(), h.to().toString(),
                        h.databaseMove().map(m -> new PlanResult.DatabaseMove(m.fromMajor(), m.toMajor())), h.steps()))
                .toList());
    }

    /**
     * This plan as one node of a cluster runs it once the primary upgraded the shared database:
     * only the steps that touch the node's own home. The services stop at the first hop and start at
     * the last (an intermediate version would find the database at the target version), and the
     * version is recorded in the home only.
     */
    public Plan forNode() {
        List<Hop> nodeHops = new ArrayList<>();
        for (int i = 0; i < hops.size(); i++) {
            Hop hop = hops.get(i);
            boolean first = i == 0;
            boolean last = i == hops.size() - 1;
            List<Step> steps = new ArrayList<>();
            for (Step s : hop.steps()) {
                switch (s.kind()) {
                    case STAGE_PROGRAM_FILES, CARRY_NODE_LOCAL_FILES, SWAP_PROGRAM_FILES -> steps.add(s);
                    case STOP_SERVICES -> {
                        if (first) {
                            steps.add(s);
                        }
                    }
                    case START_SERVICES -> {
                        if (last) {
                            steps.add(s);
                        }
                    }
                    case RECORD_VERSION -> steps.add(new Step(hop.to() + "/record-node-version", StepKind.RECORD_NODE_VERSION,
                            StepKind.RECORD_NODE_VERSION.title(), ""));
                    default -> { } // database, keys, backup and maintenance: the primary's part
                }
            }
            nodeHops.add(new Hop(hop.from(), hop.to(), Optional.empty(), List.copyOf(steps)));
        }
        return new Plan(installed, target, List.copyOf(nodeHops));
    }

    public Optional<DatabaseMove> databaseMove() {
        return hops.stream().flatMap(h -> h.databaseMove().stream()).findFirst();
    }
}
