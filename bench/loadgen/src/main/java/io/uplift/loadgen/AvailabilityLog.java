package io.uplift.loadgen;

import java.util.ArrayList;
import java.util.List;

/** The timeline of a run: every outcome, appended by the workers, read once at the end (or by a test
 *  while the run goes on). Synchronised: at a few hundred requests a second a lock costs nothing. */
public final class AvailabilityLog {
    private final List<Outcome> outcomes = new ArrayList<>();

    public synchronized void record(Outcome outcome) {
        outcomes.add(outcome);
    }

    public synchronized List<Outcome> snapshot() {
        return List.copyOf(outcomes);
    }

    public synchronized long count(Cause cause) {
        return outcomes.stream().filter(o -> o.cause() == cause).count();
    }

    public synchronized long countSince(long sentAtOrAfter, Operation operation, Cause cause) {
        return outcomes.stream()
                .filter(o -> o.sentAt() >= sentAtOrAfter && o.operation() == operation && o.cause() == cause)
                .count();
    }
}
