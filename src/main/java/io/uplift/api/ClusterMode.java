package io.uplift.api;

/**
 * How a release is rolled out to the nodes of a cluster, as the catalog declares it per release.
 * PRIMARY_FIRST: the other nodes stop, the primary upgrades with the migrations, then each other
 * node, then all serve again (the vendors' documented procedure). ROLLING: one node at a time while
 * the others serve; only for releases whose migrations are compatible with the previous version.
 */
public enum ClusterMode {
    PRIMARY_FIRST, ROLLING
}
