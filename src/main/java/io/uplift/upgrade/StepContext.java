package io.uplift.upgrade;

import io.uplift.api.UpgradeListener;
import io.uplift.backup.Backups;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.install.DatabaseSettings;
import io.uplift.install.Installation;
import io.uplift.journal.Journal;
import io.uplift.plan.Hop;
import io.uplift.api.Step;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a step works on. The installation is opened afresh on each call, because steps change its
 * recorded state and a step must always see the state as it is on disk now.
 *
 * @param covered the releases the hop installs, oldest first, ending with the hop's target
 * @param acceptKeysetMismatch the operator's --accept-keyset-mismatch: restore a backup's database even
 *                             though this node's keyset is not the one it recorded
 */
record StepContext(Path home, Catalog catalog, Hop hop, List<Release> covered, Step step, Journal journal,
        Supplier<Backups> backupStore, UpgradeListener listener, boolean acceptKeysetMismatch) {

    Backups backups() {
        return backupStore.get();
    }

    Installation installation() {
        return Installation.open(home);
    }

    Release release() {
        return covered.get(covered.size() - 1);
    }

    DatabaseSettings database() {
        return installation().databaseSettings();
    }

    Path staging() {
        return home.resolve(".uplift").resolve("staging").resolve(hop.to().toString()).resolve("app");
    }

    Path previous() {
        return home.resolve(".uplift").resolve("previous").resolve(hop.from().toString()).resolve("app");
    }
}
