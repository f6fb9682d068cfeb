package io.uplift.cluster;

import io.uplift.api.UpgradeListener;
import io.uplift.api.UpgradeResult;
import java.util.function.Supplier;

/**
 * What an agent needs of its node: the upgrade engine and the product's services. An interface the
 * upgrade package implements ({@code upgrade.AgentEngine}), because the dependency must point that
 * way: the upgrade runs the preflight checks, and the checks read this package's node registry.
 */
public interface NodeEngine {
    UpgradeResult upgrade(String toVersion, UpgradeListener listener);

    /** This node's part once the primary upgraded the shared database (its own home only). */
    UpgradeResult upgradeNode(String toVersion, UpgradeListener listener);

    /** The primary's part of a rolling upgrade: no maintenance mode, expand migrations only, the previous release stays admitted. */
    UpgradeResult upgradeRollingPrimary(String toVersion, UpgradeListener listener);

    /**
     * A rolling upgrade's end, once every node runs {@code toVersion}: the previous release is no
     * longer admitted, then the contract migrations run. Refuses (changing nothing) while a node
     * registered in the database runs another version. Returns what was done.
     */
    String finalizeRolling(String toVersion);

    UpgradeResult resume(UpgradeListener listener);

    void startServices();

    void stopServices();

    boolean servicesRunning();

    /** Runs {@code work} holding this home's change lock (as the 'uplift keys' commands do): no upgrade or key command runs meanwhile. */
    String underChangeLock(String command, Supplier<String> work);
}
