package io.uplift.cluster;

/**
 * The right to move the cluster, as one agent won it: {@code fence} grows by one at every change of
 * holder, so a write made with an older fence is recognised as a former leader's and refused.
 */
record Leadership(String holder, long fence) {}
