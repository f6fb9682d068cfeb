package io.uplift.keys;

/** A keyset read from or written to its file, with the seal to write it again after a change. */
public record SealedKeyset(InstallationKeyset keyset, KeysetSeal seal) {}
