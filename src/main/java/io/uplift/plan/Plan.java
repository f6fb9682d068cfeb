package io.uplift.plan;

import io.uplift.catalog.Version;
import java.util.List;
import java.util.Optional;

/** The hops from the installed version to the target; no hops means there is nothing to do. */
public record Plan(Version installed, Version target, List<Hop> hops) {
    public boolean isEmpty() {
        return hops.isEmpty();
    }

    public Optional<DatabaseMove> databaseMove() {
        return hops.stream().flatMap(h -> h.databaseMove().stream()).findFirst();
    }
}
