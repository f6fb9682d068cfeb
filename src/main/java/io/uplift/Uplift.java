package io.uplift;

import io.uplift.api.CheckReport;
import io.uplift.api.ErrorCode;
import io.uplift.api.StatusResult;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.CatalogLoader;
import io.uplift.catalog.Version;
import io.uplift.check.CheckContext;
import io.uplift.check.Preflight;
import io.uplift.demo.DemoPreparer;
import io.uplift.demo.DemoResult;
import io.uplift.demo.DemoSettings;
import io.uplift.demo.ProgressListener;
import io.uplift.install.Installation;
import io.uplift.install.NodeLocalFiles;
import io.uplift.install.ProductDatabase;
import io.uplift.install.ProductDatabase.Probe;
import io.uplift.journal.HomeLock;
import io.uplift.plan.Plan;
import io.uplift.plan.PlanResult;
import io.uplift.plan.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one entry point of Uplift. {@code Uplift.configure().home(dir)...load()} validates every
 * setting once and returns an immutable engine; the CLI and the console call only its verbs.
 */
public final class Uplift {
    private final Path home;
    private final Optional<Path> catalogOverride;
    private final Path backupDir;

    private Uplift(Builder b) {
        this.home = b.home;
        this.catalogOverride = Optional.ofNullable(b.catalog);
        this.backupDir = b.backupDir == null ? home.resolve(".uplift").resolve("backups") : b.backupDir;
    }

    public static Builder configure() {
        return new Builder();
    }

    /** Settings of an engine; {@link #load()} checks them and seals them. */
    public static final class Builder {
        private Path home;
        private Path catalog;
        private Path backupDir;

        private Builder() {}

        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        public Builder catalog(Path catalog) {
            this.catalog = catalog;
            return this;
        }

        public Builder backupDir(Path backupDir) {
            this.backupDir = backupDir;
            return this;
        }

        public Uplift load() {
            if (home == null) {
                throw new UpliftException(ErrorCode.USAGE, "No home folder given: pass --home DIR or set UPLIFT_HOME.");
            }
            home = home.toAbsolutePath().normalize();
            if (catalog != null) {
                catalog = catalog.toAbsolutePath().normalize();
                if (!Files.isDirectory(catalog)) {
                    throw new UpliftException(ErrorCode.CATALOG_INVALID, "--catalog " + catalog
                            + " is not a folder: pass the folder that holds product.yaml and releases/.");
                }
            }
            if (backupDir != null) {
                backupDir = backupDir.toAbsolutePath().normalize();
                if (backupDir.startsWith(home.resolve("app")) || backupDir.startsWith(home.resolve("config"))) {
                    throw new UpliftException(ErrorCode.USAGE, "--backup-dir " + backupDir
                            + " lies inside the program or config folder, which an upgrade replaces or protects: choose another folder.");
                }
            }
            return new Uplift(this);
        }
    }

    public Path home() {
        return home;
    }

    public StatusResult status() {
        Installation inst = Installation.open(home);
        Probe probe = new ProductDatabase(inst).probe();
        List<String> declared = new ArrayList<>(inst.state().nodeLocalFiles().keySet());
        try {
            catalog(inst).product().nodeLocalFiles().stream().filter(f -> !declared.contains(f)).forEach(declared::add);
        } catch (UpliftException e) {
            // status must work with a broken catalog too: it then shows the recorded files only.
        }
        List<StatusResult.NodeLocalFile> files = NodeLocalFiles.compare(home, declared, inst.state().nodeLocalFiles()).stream()
                .map(f -> new StatusResult.NodeLocalFile(f.path(), f.state().name().toLowerCase())).toList();
        List<StatusResult.Task> tasks = inst.state().pendingTasks().stream()
                .map(t -> new StatusResult.Task(t.release(), t.id(), t.title(), t.mode())).toList();
        var db = probe.database();
        StatusResult.Database database = new StatusResult.Database(inst.databaseSettings().url(), db.reachable(), db.serverVersion(),
                db.error(), probe.serverState() != ProductDatabase.ServerState.NOT_MANAGED,
                probe.serverState().name().toLowerCase().replace("not_managed", "not managed"));
        return new StatusResult(home.toString(), inst.state().product(), inst.state().version(),
                db.schemaVersion().orElse(db.reachable() ? "none" : "unknown"), database, files, tasks, upgradeState(inst));
    }

    private static StatusResult.Upgrade upgradeState(Installation inst) {
        Optional<String> holder = HomeLock.holder(inst.lockFile());
        if (holder.isPresent()) {
            return new StatusResult.Upgrade("running", "locked by " + holder.get());
        }
        if (Files.exists(inst.journalFile())) {
            return new StatusResult.Upgrade("interrupted", "run 'uplift resume' to finish it or 'uplift rollback' to undo it");
        }
        return new StatusResult.Upgrade("none", "");
    }

    public PlanResult plan(String target) {
        Installation inst = Installation.open(home);
        Catalog catalog = catalog(inst);
        OptionalInt major = new ProductDatabase(inst).probe().database().major();
        return new PlanResult(catalog.product().name(), plan(catalog, inst, target, major));
    }

    public CheckReport check(String target) {
        Installation inst = Installation.open(home);
        Catalog catalog = catalog(inst);
        Probe probe = new ProductDatabase(inst).probe();
        Plan plan = plan(catalog, inst, target, probe.database().major());
        CheckContext context = new CheckContext(inst, catalog, plan, probe.database(), backupDir,
                Runtime.version().feature(), System.getProperty("os.name"), System.getProperty("user.name"));
        return Preflight.standard().run(context);
    }

    /** Starts the database server Uplift manages for this installation; tells what it found. */
    public ProductDatabase.ServerState startDatabase() {
        return new ProductDatabase(Installation.open(home)).ensureRunning();
    }

    public ProductDatabase.ServerState stopDatabase() {
        return new ProductDatabase(Installation.open(home)).stop();
    }

    /** Creates the demo installation (Lockbox 1.0 with generated data) in this engine's home. */
    public DemoResult prepareDemo(DemoSettings settings, ProgressListener progress) {
        return new DemoPreparer(home, settings).prepare(progress);
    }

    private static Plan plan(Catalog catalog, Installation inst, String target, OptionalInt major) {
        Version to;
        try {
            to = Version.parse(target);
        } catch (IllegalArgumentException e) {
            throw new UpliftException(ErrorCode.USAGE, "--to " + e.getMessage());
        }
        return new Planner(catalog).plan(Version.parse(inst.state().version()), to, major);
    }

    private Catalog catalog(Installation inst) {
        Path dir = catalogOverride.orElseGet(() -> {
            if (inst.state().catalog() == null) {
                throw new UpliftException(ErrorCode.CATALOG_INVALID, "The installation " + home
                        + " records no release catalog: pass the vendor's catalog folder with --catalog DIR.");
            }
            return Path.of(inst.state().catalog());
        });
        return CatalogLoader.load(dir);
    }
}
