package io.uplift.loadgen;

import java.util.ArrayList;
import java.util.List;

/** Builds synthetic timelines: "every 100 ms from 0 to 1000, a read that succeeds". */
final class Timelines {
    private final List<Outcome> outcomes = new ArrayList<>();

    Timelines every(long step, long from, long toInclusive, Operation op, Cause cause) {
        for (long t = from; t <= toInclusive; t += step) {
            at(t, op, cause);
        }
        return this;
    }

    Timelines at(long t, Operation op, Cause cause) {
        outcomes.add(Outcome.of(op, t, t + 5, cause));
        return this;
    }

    Timelines health(long t, String version) {
        outcomes.add(new Outcome(Operation.HEALTH, t, t + 1, Cause.OK, version));
        return this;
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }
}
