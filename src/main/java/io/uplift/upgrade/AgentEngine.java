package io.uplift.upgrade;

import io.uplift.api.UpgradeListener;
import io.uplift.api.UpgradeResult;
import io.uplift.catalog.Product;
import io.uplift.cluster.NodeEngine;
import io.uplift.install.Installation;
import io.uplift.journal.HomeLock;
import java.nio.file.Path;
import java.util.function.Supplier;

/** The engine and services of one node, as its agent uses them (see {@link NodeEngine}). */
public final class AgentEngine implements NodeEngine {
    private final Supplier<UpgradeEngine> engines;
    private final ProductServices services;
    private final Path home;

    /** @param engines a new engine per order, built as the facade builds it (the journal may name another catalog) */
    public AgentEngine(Supplier<UpgradeEngine> engines, Path home, Product.Services services) {
        this.engines = engines;
        this.home = home;
        this.services = new ProductServices(home, services, "then let the agent carry on (restart it), or see 'uplift cluster status'");
    }

    @Override
    public UpgradeResult upgrade(String toVersion, UpgradeListener listener) {
        return engines.get().upgrade(toVersion, listener);
    }

    @Override
    public UpgradeResult upgradeNode(String toVersion, UpgradeListener listener) {
        return engines.get().upgradeNode(toVersion, listener);
    }

    @Override
    public UpgradeResult upgradeRollingPrimary(String toVersion, UpgradeListener listener) {
        return engines.get().upgradeRollingPrimary(toVersion, listener);
    }

    @Override
    public String finalizeRolling(String toVersion) {
        return engines.get().finalizeRolling(toVersion);
    }

    @Override
    public UpgradeResult resume(UpgradeListener listener) {
        return engines.get().resume(listener);
    }

    @Override
    public void startServices() {
        services.start();
    }

    @Override
    public void stopServices() {
        services.stop();
    }

    @Override
    public boolean servicesRunning() {
        return services.running();
    }

    @Override
    public String underChangeLock(String command, Supplier<String> work) {
        try (HomeLock lock = ChangeLock.take(Installation.open(home), command)) {
            return work.get();
        }
    }
}
