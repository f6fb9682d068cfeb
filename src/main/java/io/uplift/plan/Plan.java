package io.uplift.plan;

import io.uplift.api.ClusterMode;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
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

    /** The plan as the facade returns it, for {@code product} (its display name); {@code mode}: {@link #clusterMode}. */
    public PlanResult result(String product, ClusterMode mode) {
        return new PlanResult(product, installed.toString(), target.toString(), hops.stream()
                .map(h -> new PlanResult.Hop(h.from().toString(), h.to().toString(),
                        h.databaseMove().map(m -> new PlanResult.DatabaseMove(m.fromMajor(), m.toMajor())), h.steps()))
                .toList(), mode);
    }

    /** How a cluster would take this plan: rolling when the target release declares it and the plan can roll ({@link #forRollingPrimary}). */
    public ClusterMode clusterMode(Catalog catalog) {
        ClusterMode declared = catalog.release(target).map(Release::clusterMode).orElse(ClusterMode.PRIMARY_FIRST);
        return forRollingPrimary(declared).isPresent() ? ClusterMode.ROLLING : ClusterMode.PRIMARY_FIRST;
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

    /**
     * This plan as the primary of a rolling cluster upgrade runs it: one hop into a rolling release,
     * without maintenance mode (the other nodes keep serving, writes included), the expand migrations
     * first while the primary still serves too, then the primary's own stop, swap and start; the
     * version is recorded with the previous one still admitted. The contract migrations wait for
     * finalize. Empty when the plan cannot roll: more than one hop, a database move, a key rotation,
     * or a release that does not declare cluster-mode rolling.
     */
    public Optional<Plan> forRollingPrimary(ClusterMode targetMode) {
        if (hops.size() != 1 || targetMode != ClusterMode.ROLLING || databaseMove().isPresent()
                || hops.get(0).steps().stream().anyMatch(s -> s.kind() == StepKind.ROTATE_KEYS)) {
            return Optional.empty();
        }
        Hop hop = hops.get(0);
        List<Step> steps = new ArrayList<>();
        Step expand = new Step(hop.to() + "/expand-schema", StepKind.EXPAND_SCHEMA, StepKind.EXPAND_SCHEMA.title(), "expand migrations of " + hop.to());
        for (Step s : hop.steps()) {
            switch (s.kind()) {
                case MAINTENANCE_ON, MAINTENANCE_OFF, MIGRATE_SCHEMA -> { } // no maintenance; the expand step replaces the migrations
                case STOP_SERVICES -> {
                    steps.add(expand);
                    steps.add(s);
                }
                case RECORD_VERSION -> steps.add(new Step(hop.to() + "/record-rolling-version", StepKind.RECORD_ROLLING_VERSION,
                        StepKind.RECORD_ROLLING_VERSION.title(), hop.from() + " stays admitted until finalize"));
                default -> steps.add(s);
            }
        }
        return Optional.of(new Plan(installed, target, List.of(new Hop(hop.from(), hop.to(), Optional.empty(), List.copyOf(steps)))));
    }

    public Optional<DatabaseMove> databaseMove() {
        return hops.stream().flatMap(h -> h.databaseMove().stream()).findFirst();
    }
}
