package io.uplift.cluster;

import io.uplift.api.AgentListener;
import io.uplift.api.Step;
import io.uplift.api.UpgradeListener;
import io.uplift.api.UpgradeResult;
import io.uplift.api.UpgradeResult.Outcome;
import io.uplift.catalog.Catalog;
import io.uplift.cluster.NodeOrders.Action;
import io.uplift.install.Installation;
import io.uplift.keys.tokens.ComponentTokenSwitch;
import java.nio.file.Files;
import java.time.Duration;

/**
 * Carries out one order on this node, through the same engine 'uplift upgrade' uses and under this
 * node's own journal: an agent killed in the middle finds the journal when the order is handed to it
 * again and resumes it, so no step runs twice and none is skipped.
 */
final class NodeWork {
    private final Installation installation;
    private final NodeEngine engine;
    private final AgentListener listener;
    private final ComponentTokens componentTokens;
    private final NodeKeyHandover keys;

    NodeWork(Installation installation, NodeEngine engine, AgentListener listener, Catalog catalog, ComponentTokens componentTokens) {
        this.installation = installation;
        this.engine = engine;
        this.listener = listener;
        this.componentTokens = componentTokens;
        this.keys = new NodeKeyHandover(installation, catalog);
    }

    /** Runs {@code action} towards {@code toVersion}; returns what happened, throws what failed. */
    String run(Action action, String toVersion) {
        return switch (action) {
            case STOP -> {
                engine.stopServices();
                yield "services stopped";
            }
            case START -> {
                engine.startServices();
                yield "services started";
            }
            case UPGRADE_PRIMARY, UPGRADE_PRIMARY_ROLLING, UPGRADE_NODE -> upgrade(action, toVersion);
            case FINALIZE -> engine.finalizeRolling(toVersion);
            // Each on this node's own keyset under its change lock; both run again whole after a kill (see HandedOverKey).
            case ADD_KEY -> engine.underChangeLock("agent: add the cluster's new key", () -> keys.addKey(toVersion));
            case RETIRE_KEY -> retire(toVersion);
        };
    }

    private String upgrade(Action action, String toVersion) {
        UpgradeListener steps = new UpgradeListener() {
            @Override
            public void stepStarted(Step step, boolean undo) {
                listener.event((undo ? "undo " : "") + step.id() + ": " + step.title());
            }

            @Override
            public void stepFinished(Step step, Duration took, boolean undo) {
                listener.event((undo ? "undone " : "done ") + step.id() + " in " + took.toMillis() + " ms");
            }
        };
        UpgradeResult result = Files.exists(installation.journalFile()) ? engine.resume(steps) : switch (action) {
            case UPGRADE_PRIMARY -> engine.upgrade(toVersion, steps);
            case UPGRADE_PRIMARY_ROLLING -> engine.upgradeRollingPrimary(toVersion, steps);
            default -> engine.upgradeNode(toVersion, steps);
        };
        if (result.outcome() != Outcome.DONE && result.outcome() != Outcome.NOTHING_TO_DO) {
            throw new IllegalStateException(result.message());
        }
        // The primary's rotation (if the plan had one) changed only its keyset: the other nodes get the new key wrapped.
        String published = action == Action.UPGRADE_PRIMARY ? keys.publishIfRotated() : "";
        // A remote component whose token format the new version deprecates gets its new token now, so it
        // starts with it (or, running already, reads it on its own); the old one is revoked once it is used.
        ComponentTokenSwitch.Outcome token = componentTokens.beforeStart(toVersion);
        if (action == Action.UPGRADE_NODE && !engine.servicesRunning()) {
            // The cluster's STOP stopped them, so the node's own upgrade found them stopped and left them so
            // (it restores what it found); the cluster wants the node serving the new version again.
            engine.startServices();
            return result.message() + published + " Services started." + componentTokens.afterStart(token);
        }
        return result.message() + published + componentTokens.afterStart(token);
    }

    private String retire(String toVersion) {
        String retired = engine.underChangeLock("agent: retire the old keys", () -> keys.retireKeys(toVersion));
        if (!engine.servicesRunning()) {
            // Stopped by its gate while the nodes' keysets differed from the record for longer than it tolerates
            // (a retirement that waited for an agent's restart): with this keyset it is admitted again.
            engine.startServices();
            return retired + ". Services started.";
        }
        return retired;
    }
}
