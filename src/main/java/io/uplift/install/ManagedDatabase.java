package io.uplift.install;

/**
 * A PostgreSQL server that Uplift itself runs for this installation (the demo's), recorded so that
 * any command can start it again after a reboot.
 */
public record ManagedDatabase(int major, String dataDir, int port, String osUser) {}
