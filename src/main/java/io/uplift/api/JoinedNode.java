package io.uplift.api;

/**
 * A node added to an existing (demo) installation: its own home, serving the same product database
 * with the same keyset.
 *
 * @param home      the new node's home
 * @param firstHome the home it joined (the one whose database and keyset it shares)
 * @param version   the release in its app/, the installed version of the first home
 * @param url       where its Lockbox will serve once started (loopback, its own port)
 */
public record JoinedNode(String home, String firstHome, String version, String url) {}
