package io.uplift.loadgen;

import java.util.List;

/** The time between two successful requests of one kind (or between a run edge and the nearest
 *  success), with the requests of that kind that failed or were refused inside it. */
public record OutageGap(Window window, List<Outcome> unsuccessful) {

    public OutageGap {
        unsuccessful = List.copyOf(unsuccessful);
    }

    public boolean hasUnsuccessful() {
        return !unsuccessful.isEmpty();
    }

    /** From the first unsuccessful request sent in the gap to the last one. */
    public Window unsuccessfulSpan() {
        if (unsuccessful.isEmpty()) {
            throw new IllegalStateException("no unsuccessful request in this gap");
        }
        return new Window(unsuccessful.get(0).sentAt(), unsuccessful.get(unsuccessful.size() - 1).sentAt());
    }
}
