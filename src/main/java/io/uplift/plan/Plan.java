package io.uplift.plan;

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

    public Optional<DatabaseMove> databaseMove() {
        return hops.stream().flatMap(h -> h.databaseMove().stream()).findFirst();
    }
}
