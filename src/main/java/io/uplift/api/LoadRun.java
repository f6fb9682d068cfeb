package io.uplift.api;

/** A load generator running against the demo's Lockbox while something (an upgrade) happens. */
public interface LoadRun {
    /** Ends the load, waits while it reads back every acknowledged write, and returns its report. */
    AvailabilitySummary finish();
}
