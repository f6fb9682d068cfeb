package io.uplift.loadgen;

/** A stretch of time [start, end] in epoch milliseconds. */
public record Window(long start, long end) {

    public Window {
        if (end < start) {
            throw new IllegalArgumentException("window ends at " + end + " before it starts at " + start);
        }
    }

    public long millis() {
        return end - start;
    }

    public double seconds() {
        return millis() / 1000.0;
    }
}
