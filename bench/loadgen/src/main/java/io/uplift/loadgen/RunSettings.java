package io.uplift.loadgen;

/** What the report repeats about how the run was driven, and why it stopped. */
public record RunSettings(String url, int rate, double writeShare, int workers, String stoppedBy) {
}
