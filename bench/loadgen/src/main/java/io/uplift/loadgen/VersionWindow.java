package io.uplift.loadgen;

/** When health first and last answered with one version, and how many times it did. */
public record VersionWindow(String version, long firstSeen, long lastSeen, long answers) {

    VersionWindow seenAgain(long at) {
        return new VersionWindow(version, Math.min(firstSeen, at), Math.max(lastSeen, at), answers + 1);
    }
}
