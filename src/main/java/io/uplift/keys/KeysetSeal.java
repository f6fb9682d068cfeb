package io.uplift.keys;

/**
 * What a keyset file is sealed with: the master key and where it comes from (recorded in the
 * file's header). A keyset is written again with the seal it was opened with, so that rotation or
 * retirement never changes the master key; only 'uplift keys protect' makes a new one.
 * The key never shows in {@link #toString()} (see {@link MasterKey}).
 */
public record KeysetSeal(MasterKeySource source, MasterKey key) {}
