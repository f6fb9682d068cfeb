package io.uplift.install;

import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.CatalogLoader;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which release catalog an installation is read against: the folder the operator named with
 * --catalog, else the one the installation recorded when it was installed or last upgraded.
 * (It lives here, not in catalog/, because catalog/ must not depend on the installation.)
 */
public final class InstallationCatalog {
    private final Optional<Path> override;

    public InstallationCatalog(Optional<Path> override) {
        this.override = override;
    }

    /** Whether the operator named a catalog, which then wins over the one an interrupted upgrade recorded. */
    public boolean overridden() {
        return override.isPresent();
    }

    public Catalog of(Installation inst) {
        Path dir = override.orElseGet(() -> {
            if (inst.state().catalog() == null) {
                throw new UpliftException(ErrorCode.CATALOG_INVALID, "The installation " + inst.home()
                        + " records no release catalog: pass the vendor's catalog folder with --catalog DIR.");
            }
            return Path.of(inst.state().catalog());
        });
        return CatalogLoader.load(dir);
    }

    public Catalog of(Path home) {
        return of(Installation.open(home));
    }
}
