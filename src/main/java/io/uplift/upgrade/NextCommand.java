package io.uplift.upgrade;

import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.install.Installation;
import java.nio.file.Path;

/**
 * The command that goes on from here, as the operator must type it in a message. A run given another
 * catalog than the recorded one (--catalog) needs it again: resume refuses a plan whose catalog changed.
 */
final class NextCommand {
    private final Path home;
    private final Catalog catalog;

    NextCommand(Path home, Catalog catalog) {
        this.home = home;
        this.catalog = catalog;
    }

    /** @param verb resume or rollback */
    String of(String verb) {
        boolean otherCatalog;
        try {
            String recorded = Installation.open(home).state().catalog();
            otherCatalog = recorded == null || !Path.of(recorded).toAbsolutePath().normalize().equals(catalog.folder());
        } catch (UpliftException e) {
            otherCatalog = true; // naming the catalog is never wrong; only needless
        }
        return "uplift " + verb + " --home " + home + (otherCatalog ? " --catalog " + catalog.folder() : "");
    }
}
