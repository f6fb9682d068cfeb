package io.uplift.check;

import io.uplift.api.CheckReport;
import io.uplift.api.PlanResult;
import io.uplift.api.UpgradeTarget;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Version;
import io.uplift.install.DatabaseProbe;
import io.uplift.install.Installation;
import io.uplift.install.InstallationCatalog;
import io.uplift.install.ProductDatabase;
import io.uplift.plan.Plan;
import io.uplift.plan.Planner;
import java.nio.file.Path;

/**
 * What an upgrade to a target would do ('uplift plan') and whether this node is ready for it
 * ('uplift check'). Both read only; the plan depends on the database server's major version,
 * so both probe the database.
 */
public final class UpgradePreview {
    private final Path home;
    private final InstallationCatalog catalogs;

    public UpgradePreview(Path home, InstallationCatalog catalogs) {
        this.home = home;
        this.catalogs = catalogs;
    }

    public PlanResult plan(UpgradeTarget target) {
        Installation inst = Installation.open(home);
        Catalog catalog = catalogs.of(inst);
        Plan plan = plan(catalog, inst, target, new ProductDatabase(inst).probe().database());
        return plan.result(catalog.product().name(), plan.clusterMode(catalog));
    }

    /** Runs the standard preflight checks against the plan to {@code target}; the backup will go to {@code backupDir}. */
    public CheckReport check(UpgradeTarget target, Path backupDir) {
        Installation inst = Installation.open(home);
        Catalog catalog = catalogs.of(inst);
        DatabaseProbe database = new ProductDatabase(inst).probe().database();
        CheckContext context = new CheckContext(inst, catalog, plan(catalog, inst, target, database), database, backupDir,
                Runtime.version().feature(), System.getProperty("os.name"), System.getProperty("user.name"));
        return Preflight.standard().run(context);
    }

    private static Plan plan(Catalog catalog, Installation inst, UpgradeTarget target, DatabaseProbe database) {
        return new Planner(catalog).plan(Version.parse(inst.state().version()), Version.parse(target.version()), database.major());
    }
}
