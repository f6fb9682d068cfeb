package io.uplift.upgrade;

import io.uplift.api.ObsoleteDependency;
import io.uplift.api.TaskOutcome;
import io.uplift.api.ErrorCode;
import io.uplift.api.UpliftException;
import io.uplift.catalog.Catalog;
import io.uplift.catalog.Release;
import io.uplift.catalog.ReleaseChecksums;
import io.uplift.catalog.Version;
import io.uplift.install.Installation;
import io.uplift.install.InstallationState;
import io.uplift.api.PendingTask;
import io.uplift.journal.HomeLock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The post-upgrade tasks an upgrade registered: automatic ones Uplift runs (their SQL, each in a
 * transaction of its own), manual ones the operator confirms; and the obsolete dependencies of the
 * installed releases, reported for clean-up. Running or confirming a task takes the home lock and
 * is refused while an upgrade is unfinished ({@link ChangeLock}): the state file it rewrites is the
 * upgrade's too.
 */
public final class PostUpgradeTasks {
    private final Path home;
    private final Catalog catalog;

    public PostUpgradeTasks(Path home, Catalog catalog) {
        this.home = home;
        this.catalog = catalog;
    }

    public List<PendingTask> pending() {
        return Installation.open(home).state().pendingTasks();
    }

    public List<ObsoleteDependency> obsoleteDependencies() {
        Version installed = Version.parse(Installation.open(home).state().version());
        return catalog.releases().headMap(installed, true).values().stream().flatMap(r -> r.obsoleteDependencies().stream()).toList();
    }

    /** Runs every pending automatic task, or the one named; manual ones are left for 'done'. */
    public List<TaskOutcome> runAutomatic(Optional<String> only) {
        try (HomeLock lock = ChangeLock.take(Installation.open(home), "uplift tasks run")) {
            return runAutomaticLocked(only);
        }
    }

    private List<TaskOutcome> runAutomaticLocked(Optional<String> only) {
        Installation inst = Installation.open(home);
        List<TaskOutcome> outcomes = new ArrayList<>();
        for (PendingTask t : inst.state().pendingTasks()) {
            if (only.isPresent() && !only.get().equals(t.id())) {
                continue;
            }
            Optional<Release.PostUpgradeTask> def = definition(t);
            if (def.isEmpty() || def.get().sql().isEmpty()) {
                outcomes.add(new TaskOutcome(t.release(), t.id(), t.title(), false, "manual: do it, then run 'uplift tasks done " + t.id() + "'"));
                continue;
            }
            // The task SQL is the vendor's only while its release still matches migrations-sha256.
            catalog.release(Version.parse(t.release())).ifPresent(ReleaseChecksums::requireMigrationsIntact);
            try (Connection conn = UpgradeDatabase.connect(inst.databaseSettings()); Statement st = conn.createStatement()) {
                conn.setAutoCommit(false);
                st.execute(def.get().sql().get());
                conn.commit();
            } catch (SQLException e) {
                throw new UpliftException(ErrorCode.DATABASE_UNREACHABLE, "Task " + t.id() + " of release " + t.release() + " failed: "
                        + e.getMessage() + ". Nothing of it was kept (one transaction); fix the cause and run 'uplift tasks run " + t.id() + "' again.", e);
            }
            markDone(t);
            outcomes.add(new TaskOutcome(t.release(), t.id(), t.title(), true, "ran"));
        }
        if (only.isPresent() && outcomes.isEmpty()) {
            throw unknown(only.get());
        }
        return outcomes;
    }

    /** The operator confirms a manual task (or an automatic one done by hand). */
    public TaskOutcome done(String id) {
        try (HomeLock lock = ChangeLock.take(Installation.open(home), "uplift tasks done " + id)) {
            PendingTask t = pending().stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow(() -> unknown(id));
            markDone(t);
            return new TaskOutcome(t.release(), t.id(), t.title(), true, "marked done");
        }
    }

    private UpliftException unknown(String id) {
        return new UpliftException(ErrorCode.USAGE, "No pending task '" + id + "'; the pending ones are: "
                + (pending().isEmpty() ? "none" : String.join(", ", pending().stream().map(PendingTask::id).toList())) + ".");
    }

    private Optional<Release.PostUpgradeTask> definition(PendingTask t) {
        return catalog.release(Version.parse(t.release())).flatMap(r -> r.postUpgradeTasks().stream().filter(d -> d.id().equals(t.id())).findFirst());
    }

    private void markDone(PendingTask done) {
        InstallationState s = Installation.open(home).state();
        List<PendingTask> left = new ArrayList<>(s.pendingTasks());
        left.remove(done);
        Installation.record(home, new InstallationState(s.product(), s.version(), s.catalog(), s.serviceAccount(), s.nodeLocalFiles(),
                s.managedDatabase(), left));
    }
}
