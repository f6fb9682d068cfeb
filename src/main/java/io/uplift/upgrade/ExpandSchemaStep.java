package io.uplift.upgrade;

import io.uplift.catalog.ReleaseChecksums;
import io.uplift.install.SchemaMigrations;

/**
 * A rolling upgrade's migrations on the primary: the target release's expand migrations (and whole
 * earlier releases), applied while every node still serves, without maintenance mode. Undo changes
 * nothing: the catalog declares (cluster-mode: rolling) that the previous release runs on the expanded
 * schema, so putting the previous program back is the whole rollback and no write the other nodes
 * made meanwhile is lost, which restoring the backup would do.
 */
final class ExpandSchemaStep implements UpgradeStep {
    @Override
    public void apply(StepContext c) {
        // Checked again here, not only when the upgrade started: a migration swapped in since then must not run.
        c.catalog().releases().headMap(c.hop().to(), true).values().forEach(ReleaseChecksums::requireMigrationsIntact);
        int ran = SchemaMigrations.expandTo(c.catalog(), c.hop().to(), c.database());
        c.listener().message(ran + (ran == 1 ? " expand migration" : " expand migrations") + " applied; the contract migrations wait for finalize");
    }

    @Override
    public void undo(StepContext c) {
        c.listener().message("the expand migrations of " + c.hop().to() + " stay: " + c.hop().from() + " runs on them (a rolling release)");
    }
}
