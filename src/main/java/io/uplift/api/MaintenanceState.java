package io.uplift.api;

/**
 * Maintenance mode of the installation (users read, changes are refused).
 *
 * @param since           when it was turned on, or null when it is off
 * @param reason          why, as given when it was turned on ("" when off)
 * @param sessionsEnded   how many of the product's open sessions turning it on ended (0 otherwise)
 */
public record MaintenanceState(boolean on, String since, String reason, int sessionsEnded) {}
